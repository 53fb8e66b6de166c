package io.arbiter.bench.orchestrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small GETs against the coordinators' HTTP ports (loopback only). */
final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Http() {}

    record Response(int status, String body) {}

    /** The response, or null if the port does not answer. */
    static Response get(String url) {
        try {
            HttpResponse<String> r = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(3))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Whether {@code GET /metadata/v1/cluster?group=GROUP} (Seata's raft registry API, which Arbiter serves too)
     * lists {@code nodes} members, one of them LEADER.
     */
    static boolean clusterHasLeader(String httpHostPort, String group, int nodes) {
        Response r = get("http://" + httpHostPort + "/metadata/v1/cluster?group=" + group);
        if (r == null || r.status() != 200) {
            return false;
        }
        try {
            JsonNode root = JSON.readTree(r.body());
            JsonNode list = root.path("nodes");
            if (!list.isArray() || list.size() < nodes) {
                return false;
            }
            for (JsonNode n : list) {
                if ("LEADER".equalsIgnoreCase(n.path("role").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
