package io.arbiter.server.http.metadata;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request this API refuses: answered with {@code status} and Seata's Result JSON carrying the reason. */
public final class ApiException extends RuntimeException {
    private final transient HttpResponseStatus status;

    public ApiException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    public HttpResponseStatus status() {
        return status;
    }
}
