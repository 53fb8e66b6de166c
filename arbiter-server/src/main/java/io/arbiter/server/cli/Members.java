package io.arbiter.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code arbiter members list|add|remove}: reads the cluster through a node's metadata API and changes its
 * membership through {@code /metadata/v1/changeCluster} (one Raft configuration change per fragment, committed
 * before it answers). A node to add must already run with {@code --join}.
 */
@Command(name = "members", description = "List, add or remove cluster members through a node's HTTP API.")
final class Members implements Callable<Integer> {

    @Mixin
    ApiOptions options;

    @Parameters(index = "0", description = "list | add | remove")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "Raft address host:raftPort of the node to add or remove")
    String raftAddress;

    @Override
    public Integer call() throws Exception {
        ApiClient api = options.client();
        Set<String> members = currentMembers(api);
        switch (action) {
            case "list" -> {
                members.forEach(options.out()::println);
                return 0;
            }
            case "add" -> members.add(requireAddress());
            case "remove" -> {
                if (!members.remove(requireAddress())) {
                    options.err().println("arbiter: " + raftAddress + " is not a member: " + members);
                    return 2;
                }
            }
            default -> {
                options.err().println("arbiter: unknown action '" + action + "' (list, add, remove)");
                return 2;
            }
        }
        ApiClient.Answer answer = api.post(
                "/metadata/v1/changeCluster",
                Map.of("raftClusterStr", String.join(",", members)),
                Duration.ofSeconds(90));
        options.out().println(answer.status() + " " + answer.body());
        return answer.status() == 200 ? 0 : 1;
    }

    private String requireAddress() {
        if (raftAddress == null || !raftAddress.matches("[^:]+:\\d+")) {
            throw new IllegalArgumentException("give the node's Raft address as host:raftPort");
        }
        return raftAddress;
    }

    private static Set<String> currentMembers(ApiClient api) throws Exception {
        ApiClient.Answer answer = api.get("/metadata/v1/cluster");
        if (answer.status() != 200) {
            throw new IllegalStateException("cluster metadata: HTTP " + answer.status() + " " + answer.body());
        }
        Set<String> members = new LinkedHashSet<>();
        for (JsonNode n : answer.json().path("nodes")) {
            members.add(n.path("internal").path("host").asText() + ":"
                    + n.path("internal").path("port").asInt());
        }
        return members;
    }
}
