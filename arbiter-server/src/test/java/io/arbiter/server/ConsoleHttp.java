package io.arbiter.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A test client of a node's console REST API over real HTTP, optionally logged in. */
final class ConsoleHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final int port;
    private String token;

    ConsoleHttp(int port) {
        this.port = port;
    }

    /** Logs in at /api/v1/auth/login and sends the token from then on. */
    ConsoleHttp login(String user, String password) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(uri("/api/v1/auth/login", Map.of()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(r.body()).path("data").asText();
        return this;
    }

    record Answer(int status, JsonNode body) {}

    Answer get(String path, Map<String, ?> params) throws Exception {
        return send("GET", path, params);
    }

    Answer send(String method, String path, Map<String, ?> params) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path, params))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", token);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), parse(r.body()));
    }

    private static JsonNode parse(String body) throws IOException {
        return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
    }

    private URI uri(String path, Map<String, ?> params) {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return URI.create("http://127.0.0.1:" + port + path + (query.isEmpty() ? "" : "?" + query));
    }

    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
