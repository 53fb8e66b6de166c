package io.arbiter.server.http.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Response bodies in Seata's shapes. Stateless; the mapper is thread-safe. */
public final class Responses {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** Seata's {@code Result}: {@code {"code":"200","message":"success","success":true}}. */
    public record Result(String code, String message, boolean success) {
    }

    /** Seata's {@code SingleResult}, with {@code data} (written even when null). */
    public record SingleResult(String code, String message, Object data, boolean success) {
    }

    private Responses() {
    }

    static FullHttpResponse success() {
        return json(HttpResponseStatus.OK, new Result("200", "success", true));
    }

    /** An error: HTTP {@code status} and {@code {"code":"<status>","message":<reason>,"success":false}}. */
    public static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, new Result(String.valueOf(status.code()), message, false));
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
