package io.arbiter.server.http.webconsole;

import io.arbiter.server.http.HttpApiServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the web console's files from the class path: {@code /} and {@code /console/...} from {@code webconsole/}
 * (the pages: {@code Cache-Control: no-cache} with an ETag, so a new jar is seen at once), {@code /webjars/...} from
 * {@code META-INF/resources/webjars/} (versioned paths: cached for a year). Only GET and HEAD; unknown files and
 * paths with {@code ..} get 404.
 */
public final class StaticAssets implements HttpApiServer.Endpoint {
    static final String CONSOLE = "/console/";
    static final String WEBJARS = "/webjars/";
    private static final Map<String, String> TYPES = Map.of(
            "html",
            "text/html; charset=utf-8",
            "js",
            "text/javascript; charset=utf-8",
            "mjs",
            "text/javascript; charset=utf-8",
            "css",
            "text/css; charset=utf-8",
            "json",
            "application/json",
            "svg",
            "image/svg+xml",
            "png",
            "image/png",
            "ico",
            "image/x-icon",
            "map",
            "application/json");

    private record Asset(byte[] bytes, String type, String etag, String cacheControl) {}

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    public StaticAssets() {
        this(StaticAssets.class.getClassLoader());
    }

    StaticAssets(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public boolean owns(String path) {
        return path.equals("/") || path.equals("/console") || path.startsWith(CONSOLE) || path.startsWith(WEBJARS);
    }

    @Override
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        FullHttpResponse response;
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else if (path.equals("/") || path.equals("/console")) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
            response.headers().set(HttpHeaderNames.LOCATION, CONSOLE);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        } else {
            Optional<Asset> asset = cache.get(path);
            if (asset == null) {
                asset = load(path);
                if (asset.isPresent()) { // unknown paths are not remembered: the cache stays bounded by the jar
                    cache.put(path, asset);
                }
            }
            if (asset.isEmpty()) {
                response = text(HttpResponseStatus.NOT_FOUND, "no such file: " + path + "\n");
            } else if (asset.get().etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
                headers(response, asset.get());
            } else {
                response = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(asset.get().bytes()));
                headers(response, asset.get());
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.get().type());
                response.headers()
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, asset.get().bytes().length);
                if (request.method().equals(HttpMethod.HEAD)) {
                    response.content().clear();
                }
            }
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void headers(FullHttpResponse response, Asset asset) {
        response.headers().set(HttpHeaderNames.ETAG, asset.etag());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, asset.cacheControl());
        response.headers().set("X-Content-Type-Options", "nosniff");
    }

    /** The file behind {@code path}, or empty (unknown, a directory, no known type, or {@code ..} in it). */
    Optional<Asset> load(String path) {
        if (path.contains("..")
                || path.contains("//")
                || path.contains("\\")
                || path.endsWith("/") && !path.equals(CONSOLE)) {
            return Optional.empty();
        }
        String resource;
        String cacheControl;
        if (path.startsWith(WEBJARS)) {
            resource = "META-INF/resources" + path;
            cacheControl = "public, max-age=31536000, immutable";
        } else {
            String rest = path.substring(CONSOLE.length());
            resource = "webconsole/" + (rest.isEmpty() ? "index.html" : rest);
            cacheControl = "no-cache";
        }
        int dot = resource.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "-" + bytes.length + "\"";
            return Optional.of(new Asset(bytes, type, etag, cacheControl));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }
}
