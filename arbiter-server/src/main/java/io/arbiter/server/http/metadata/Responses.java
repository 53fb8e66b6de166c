package io.arbiter.server.http.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Response bodies in Seata's shapes. Stateless; the mapper is thread-safe. */
public final class Responses {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** Seata's {@code Result}: {@code {"code":"200","message":"success","success":true}}. */
    public record Result(String code, String message, boolean success) {}

    /** Seata's {@code SingleResult}, with {@code data} (written even when null). */
    public record SingleResult(String code, String message, Object data, boolean success) {}

    private Responses() {}

    static FullHttpResponse success() {
        return json(HttpResponseStatus.OK, new Result("200", "success", true));
    }

    /** An error: HTTP {@code status} and {@code {"code":"<status>","message":<reason>,"success":false}}. */
    public static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, new Result(String.valueOf(status.code()), message, false));
    }

    /** 405 naming the method the path takes (and in {@code Allow}). */
    public static FullHttpResponse methodNotAllowed(String path, HttpMethod takes, HttpMethod got) {
        FullHttpResponse response =
                error(HttpResponseStatus.METHOD_NOT_ALLOWED, path + " takes " + takes + ", not " + got);
        response.headers().set(HttpHeaderNames.ALLOW, takes.name());
        return response;
    }

    /** 401 saying how to log in (and {@code WWW-Authenticate: Bearer}). */
    public static FullHttpResponse loginRequired() {
        FullHttpResponse response = error(
                HttpResponseStatus.UNAUTHORIZED,
                "a valid token is required: log in at POST /api/v1/auth/login and send 'Authorization: Bearer <token>'");
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    /** A request path without a trailing slash ("/" stays). */
    public static String normalizedPath(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public static FullHttpResponse json(HttpResponseStatus status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    /** No body (200 and 304 of the watch long poll). */
    static FullHttpResponse empty(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }
}
