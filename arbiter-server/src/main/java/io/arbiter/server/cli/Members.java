package io.arbiter.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arbiter members list|add|remove}: reads the cluster through a node's metadata API and changes its
 * membership through {@code /metadata/v1/changeCluster} (one Raft configuration change, committed before it
 * answers). A node to add must already run with {@code --join}.
 */
@Command(name = "members", description = "List, add or remove cluster members through a node's HTTP API.")
final class Members implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;
    @Option(names = "--node", description = "HTTP address of any member (default 127.0.0.1:7091)")
    String node = "127.0.0.1:7091";
    @Option(names = "--username", description = "console user, when the API requires a login")
    String username;
    @Option(names = "--password", description = "console password")
    String password;
    @Parameters(index = "0", description = "list | add | remove")
    String action;
    @Parameters(index = "1", arity = "0..1", description = "Raft address host:raftPort of the node to add or remove")
    String raftAddress;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Override
    public Integer call() throws Exception {
        String token = username == null ? null : login();
        Set<String> members = currentMembers(token);
        switch (action) {
            case "list" -> {
                members.forEach(System.out::println);
                return 0;
            }
            case "add" -> members.add(requireAddress());
            case "remove" -> {
                if (!members.remove(requireAddress())) {
                    System.err.println("arbiter: " + raftAddress + " is not a member: " + members);
                    return 2;
                }
            }
            default -> {
                System.err.println("arbiter: unknown action '" + action + "' (list, add, remove)");
                return 2;
            }
        }
        String list = String.join(",", members);
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://" + node
                        + "/metadata/v1/changeCluster?raftClusterStr=" + URLEncoder.encode(list, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            post.header("Authorization", token);
        }
        HttpResponse<String> answer = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(answer.statusCode() + " " + answer.body());
        return answer.statusCode() == 200 ? 0 : 1;
    }

    private String requireAddress() {
        if (raftAddress == null || !raftAddress.matches("[^:]+:\\d+")) {
            throw new IllegalArgumentException("give the node's Raft address as host:raftPort");
        }
        return raftAddress;
    }

    private Set<String> currentMembers(String token) throws Exception {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create("http://" + node + "/metadata/v1/cluster"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded");
        if (token != null) {
            get.header("Authorization", token);
        }
        HttpResponse<String> answer = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("cluster metadata: HTTP " + answer.statusCode() + " " + answer.body());
        }
        Set<String> members = new LinkedHashSet<>();
        for (JsonNode n : JSON.readTree(answer.body()).path("nodes")) {
            members.add(n.path("internal").path("host").asText() + ":" + n.path("internal").path("port").asInt());
        }
        return members;
    }

    private String login() throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("username", username,
                "password", password == null ? "" : password));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://" + node
                        + "/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(answer.body());
        if (!"200".equals(json.path("code").asText())) {
            throw new IllegalStateException("login failed: " + answer.body());
        }
        return json.path("data").asText();
    }
}
