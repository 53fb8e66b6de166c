package io.arbiter.compat.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.server.ArbiterProcess;
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
 * The cluster operations of the soak, as an operator runs them: over a node's HTTP API, logged in as the console
 * user (a node with a console user takes cluster operations from any address after a login; without one only from
 * its own machine, which a node in a network namespace is not). Read: {@code GET /api/v1/fragments} (the map as
 * that node has it), {@code GET /api/v1/cluster} (placement's view, from the meta leader), the console queries;
 * change: {@code POST /api/v1/fragments/transfer-leader|add-replica|remove-replica}, {@code /api/v1/nodes/drain|
 * undrain}.
 *
 * <p>Threading: used by the test thread.
 */
public final class ClusterOps {
    /** The console user the soak's nodes are started with. */
    public static final String USER = "seata";

    public static final String PASSWORD = "s3cret";

    /** Seata's console secret (any 32+ byte key), for the nodes' {@code seata.security.secretKey}. */
    public static final String SECRET = "SeataSecretKey0c382ef121d778043159209298fd40bf3850a017";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(100);

    private final ArbiterCluster cluster;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ClusterOps(ArbiterCluster cluster) {
        this.cluster = cluster;
    }

    /** The server settings that give every node the console user. */
    public static Map<String, String> consoleUser() {
        return Map.of(
                "console.user.username", USER, "console.user.password", PASSWORD, "seata.security.secretKey", SECRET);
    }

    /** An answer: HTTP status and body. */
    public record Answer(int status, String body) {
        /** 200 and not one of Seata's {@code "success":false} answers. */
        public boolean ok() {
            return status == 200 && !body.contains("\"success\":false");
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** {@code POST path} with {@code params} on node {@code via}, logged in. */
    public Answer post(int via, String path, Map<String, String> params) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                request(via, path, params, OPERATION_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** {@code GET path} on node {@code via}, logged in; the JSON of a 200 answer, else an exception. */
    public JsonNode get(int via, String path, Map<String, String> params) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                request(via, path, params, Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " on node-" + via + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Placement's view of the cluster ({@code GET /api/v1/cluster}) as node {@code via} answers it. */
    public JsonNode placement(int via) throws IOException, InterruptedException {
        return get(via, "/api/v1/cluster", Map.of());
    }

    /** The cluster map as node {@code via} has it ({@code GET /api/v1/fragments}). */
    public JsonNode fragments(int via) throws IOException, InterruptedException {
        return get(via, "/api/v1/fragments", Map.of());
    }

    /** Node {@code k} as the cluster map names it ({@code host_raftPort}). */
    public String mapId(int k) {
        ArbiterProcess n = cluster.node(k);
        return n.host() + "_" + n.raftPort();
    }

    /** The index of the node the map names {@code id}, or -1. */
    public int indexOf(String id) {
        for (int k = 0; k < cluster.size(); k++) {
            if (mapId(k).equals(id)) {
                return k;
            }
        }
        return -1;
    }

    private HttpRequest.Builder request(int via, String path, Map<String, String> params, Duration timeout)
            throws IOException, InterruptedException {
        ArbiterProcess n = cluster.node(via);
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(
                        "http://" + n.host() + ":" + n.httpPort() + path + (query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", login(n))
                .timeout(timeout);
    }

    /** A fresh token from {@code node} (a login per request: tokens expire, and a restarted node is new). */
    private String login(ArbiterProcess node) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://" + node.host() + ":" + node.httpPort() + "/api/v1/auth/login"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String token = JSON.readTree(r.body()).path("data").asText("");
        if (r.statusCode() != 200 || token.isEmpty()) {
            throw new IOException("login on " + node.name() + ": " + r.statusCode() + " " + r.body());
        }
        return token;
    }
}
