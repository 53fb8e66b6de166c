package io.arbiter.server.cli;

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
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A node's HTTP API as the CLI commands use it: logs in when a user is given (Seata's JWT), then GETs and POSTs
 * form parameters with the token.
 *
 * <p>Threading: one command, one thread.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String node;
    private final String token;

    /** @param node HTTP address {@code host:port} of any node */
    ApiClient(String node, String username, String password) throws IOException, InterruptedException {
        this.node = node;
        this.token = username == null ? null : login(username, password);
    }

    /** An answer: HTTP status and body. */
    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    Answer get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create("http://" + node + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded");
        return send(get);
    }

    Answer get(String path, Map<String, String> params) throws IOException, InterruptedException {
        return get(path + query(params));
    }

    Answer post(String path, Map<String, String> params, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://" + node + path + query(params)))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    Answer put(String path, Map<String, String> params, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://" + node + path + query(params)))
                .timeout(timeout)
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code ?k=v&...} with the values URL-encoded; empty for no parameters. */
    private static String query(Map<String, String> params) {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (token != null) {
            request.header("Authorization", token);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(answer.statusCode(), answer.body());
    }

    private String login(String username, String password) throws IOException, InterruptedException {
        String body =
                JSON.writeValueAsString(Map.of("username", username, "password", password == null ? "" : password));
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://" + node + "/api/v1/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(answer.body());
        if (!"200".equals(json.path("code").asText())) {
            throw new IllegalStateException("login failed: " + answer.body());
        }
        return json.path("data").asText();
    }
}
