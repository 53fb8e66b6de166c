package io.arbiter.server.metrics;

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
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the node's metrics in the Prometheus text format (version 0.0.4), open to anyone who can
 * reach the HTTP port, like Seata's exporter port.
 *
 * <p>Threading: serves on the channel's event loop; a scrape reads counters and formats text, it does not block.
 */
public final class MetricsEndpoint implements HttpApiServer.Endpoint {
    public static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final NodeMetrics metrics;

    public MetricsEndpoint(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean owns(String path) {
        return path.equals(PATH);
    }

    @Override
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean get =
                request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = get
                ? text(HttpResponseStatus.OK, metrics.scrape())
                : text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }
}
