package io.arbiter.server.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code arbiter nodes drain|undrain NODE}: placement moves every replica and leader off a node (or lets it take them
 * again), through {@code POST /api/v1/nodes/drain|undrain}; {@code arbiter cluster} shows the progress. A drained
 * node holds nothing and can then leave the cluster ({@code arbiter members remove}).
 */
@Command(name = "nodes", description = "Drain a node (placement moves everything off it) or undrain it.")
final class NodesCommand implements Callable<Integer> {
    @Mixin
    ApiOptions options;

    @Parameters(index = "0", description = "drain | undrain")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "the node, as host:raftPort")
    String node;

    @Override
    public Integer call() throws Exception {
        if (!action.equals("drain") && !action.equals("undrain")) {
            return CliOutput.usage(options.err(), "unknown action '" + action + "' (drain, undrain)");
        }
        if (node == null || node.isBlank()) {
            return CliOutput.usage(options.err(), action + " needs NODE (host:raftPort)");
        }
        ApiClient.Answer answer =
                options.client().post("/api/v1/nodes/" + action, Map.of("node", node), Duration.ofSeconds(30));
        if (answer.status() != 200) {
            options.err().println("arbiter: " + answer.status() + " " + answer.body());
            return 1;
        }
        options.out().println(answer.json().path("message").asText());
        return 0;
    }
}
