package io.arbiter.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code arbiter cluster}: the cluster as placement sees it ({@code GET /api/v1/cluster}, answered by the meta
 * group's leader): nodes with their replicas, leaders and load, fragments with replicas, leader and load, and the
 * placement operators running and recent. A table, or the API's JSON with {@code --json}.
 */
@Command(name = "cluster", description = "Show nodes, fragments, load and placement operators (running and recent).")
final class ClusterCommand implements Callable<Integer> {
    @Mixin
    ApiOptions options;

    @Override
    public Integer call() throws Exception {
        boolean[] failed = {false};
        JsonNode doc = CliOutput.getForTable(options, "/api/v1/cluster", failed);
        if (doc == null) {
            return failed[0] ? 1 : 0;
        }
        var out = options.out();
        out.printf("placement runs on %s%n%n", doc.path("metaLeader").asText());
        out.printf("%-24s %-10s %-9s %-9s %-8s %s%n", "NODE", "STATE", "REPLICAS", "LEADERS", "CPU", "");
        for (JsonNode n : doc.path("nodes")) {
            String state = !n.path("reachable").asBoolean()
                    ? "down"
                    : n.path("draining").asBoolean() ? "draining" : "up";
            out.printf(
                    "%-24s %-10s %-9d %-9d %-8s%n",
                    n.path("id").asText(),
                    state,
                    n.path("replicas").asInt(),
                    n.path("leaders").asInt(),
                    Math.round(n.path("cpu").asDouble() * 100) + "%");
        }
        out.printf("%n%-9s %-24s %-8s %-10s %-8s %s%n", "FRAGMENT", "LEADER", "BEGINS", "CMDS/S", "OPEN", "REPLICAS");
        for (JsonNode f : doc.path("fragments")) {
            out.printf(
                    "%-9d %-24s %-8s %-10.0f %-8d %s%n",
                    f.path("id").asInt(),
                    f.path("leader").isNull() ? "-" : f.path("leader").asText(),
                    f.path("lockOnly").asBoolean()
                            ? "locks"
                            : f.path("acceptsBegins").asBoolean() ? "yes" : "no",
                    f.path("commandsPerSecond").asDouble(),
                    f.path("activeTransactions").asInt(),
                    String.join(",", ApiClient.JSON.convertValue(f.path("replicas"), String[].class)));
        }
        out.printf("%n%-6s %-10s %-17s %-9s %-8s %s%n", "OP", "OUTCOME", "KIND", "FRAGMENT", "STEPS", "WHY / DETAIL");
        for (JsonNode op : doc.path("operators")) {
            out.printf(
                    "%-6d %-10s %-17s %-9s %-8s %s%s%n",
                    op.path("id").asLong(),
                    op.path("outcome").asText(),
                    op.path("kind").asText(),
                    op.path("fragment").asInt() < 0
                            ? "new"
                            : op.path("fragment").asText(),
                    op.path("stepsDone").asInt() + "/" + op.path("steps").size(),
                    op.path("reason").asText(),
                    op.path("detail").asText().isEmpty()
                            ? ""
                            : " — " + op.path("detail").asText());
        }
        return 0;
    }
}
