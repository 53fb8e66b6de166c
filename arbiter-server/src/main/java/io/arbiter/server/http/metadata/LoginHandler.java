package io.arbiter.server.http.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /api/v1/auth/login} with JSON {@code {"username":..,"password":..}}, answered in Seata's shapes:
 * success {@code {"code":"200","message":"success","data":"Bearer <jwt>","success":true}} plus the same value in
 * the {@code Authorization} header; bad credentials HTTP 200 with
 * {@code {"code":"401","message":"Login failed","data":null,"success":false}}; a body that is not a JSON object
 * 400. With authentication off any credentials succeed with {@code data:""}, so a client configured with
 * credentials keeps working against an open cluster (it then sends no token).
 */
final class LoginHandler {
    private final Authenticator auth;

    LoginHandler(Authenticator auth) {
        this.auth = auth;
    }

    void handle(Exchange exchange, FullHttpRequest request) {
        JsonNode body;
        try {
            body = Responses.JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ApiException.badRequest("the login body must be JSON {\"username\":..,\"password\":..}");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the login body must be JSON {\"username\":..,\"password\":..}");
        }
        if (!auth.enabled()) {
            exchange.respond(Responses.json(
                    HttpResponseStatus.OK, new Responses.SingleResult("200", "authentication is disabled", "", true)));
            return;
        }
        Optional<String> token = auth.login(text(body, "username"), text(body, "password"));
        if (token.isEmpty()) {
            exchange.respond(Responses.json(
                    HttpResponseStatus.OK, new Responses.SingleResult("401", "Login failed", null, false)));
            return;
        }
        FullHttpResponse response =
                Responses.json(HttpResponseStatus.OK, new Responses.SingleResult("200", "success", token.get(), true));
        response.headers().set(HttpHeaderNames.AUTHORIZATION, token.get());
        exchange.respond(response);
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
