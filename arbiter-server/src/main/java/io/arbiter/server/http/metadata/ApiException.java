package io.arbiter.server.http.metadata;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request this API refuses: answered with {@code status} and Seata's Result JSON carrying the reason. */
final class ApiException extends RuntimeException {
    private final transient HttpResponseStatus status;

    ApiException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    HttpResponseStatus status() {
        return status;
    }
}
