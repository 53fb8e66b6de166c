package io.arbiter.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arbiter fragments list|create|add-replica|remove-replica|transfer-leader|retire}: the cluster's fragments
 * through a node's {@code /api/v1/fragments} (a table, or the JSON with {@code --json}), and the operator primitives
 * on them (membership changes and transfers go to a node that holds a replica of the fragment: {@code --node}).
 */
@Command(name = "fragments", description = "List and change the cluster's fragments through a node's HTTP API.")
final class FragmentsCommand implements Callable<Integer> {

    @Mixin
    ApiOptions options;

    @Option(names = "--replicas", description = "create: comma-separated node ids (host:raftPort) for the replicas")
    String replicas;

    @Option(names = "--id", description = "create: the new fragment's id (default: the next free one)")
    Integer id;

    @Parameters(index = "0", description = "list | create | add-replica | remove-replica | transfer-leader | retire")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "fragment id")
    String fragment;

    @Parameters(
            index = "2",
            arity = "0..1",
            description = "node id host:raftPort (add-replica, remove-replica, " + "transfer-leader)")
    String target;

    @Override
    public Integer call() throws Exception {
        ApiClient api = options.client();
        switch (action) {
            case "list" -> {
                return list();
            }
            case "create" -> {
                if (replicas == null) {
                    options.err().println("arbiter: create needs --replicas host:raftPort,...");
                    return 2;
                }
                Map<String, String> params = new LinkedHashMap<>();
                params.put("replicas", replicas);
                if (id != null) {
                    params.put("fragment", id.toString());
                }
                return operation(api, "create", params);
            }
            case "add-replica", "remove-replica", "transfer-leader" -> {
                if (fragment == null || target == null) {
                    options.err().println("arbiter: " + action + " needs FRAGMENT and NODE (host:raftPort)");
                    return 2;
                }
                return operation(api, action, Map.of("fragment", fragment, "node", target));
            }
            case "retire" -> {
                if (fragment == null) {
                    options.err().println("arbiter: retire needs FRAGMENT");
                    return 2;
                }
                return operation(api, action, Map.of("fragment", fragment));
            }
            default -> {
                options.err()
                        .println("arbiter: unknown action '" + action
                                + "' (list, create, add-replica, remove-replica, transfer-leader, retire)");
                return 2;
            }
        }
    }

    private int operation(ApiClient api, String name, Map<String, String> params) throws Exception {
        ApiClient.Answer answer = api.post("/api/v1/fragments/" + name, params, Duration.ofSeconds(100));
        if (answer.status() == 200) {
            options.out().println(answer.json().path("message").asText());
            return 0;
        }
        options.err().println("arbiter: " + answer.status() + " " + answer.body());
        return 1;
    }

    private int list() throws Exception {
        boolean[] failed = {false};
        JsonNode doc = CliOutput.getForTable(options, "/api/v1/fragments", failed);
        if (doc == null) {
            return failed[0] ? 1 : 0;
        }
        options.out()
                .printf(
                        "cluster map epoch %d (as seen by %s)%n",
                        doc.path("epoch").asLong(), doc.path("node").asText());
        options.out().printf("%-8s %-22s %-6s %-9s %s%n", "FRAGMENT", "LEADER", "BEGINS", "LOCKSLOTS", "REPLICAS");
        for (JsonNode f : doc.path("fragments")) {
            options.out()
                    .printf(
                            "%-8d %-22s %-6s %-9d %s%n",
                            f.path("id").asInt(),
                            f.path("leader").isNull() ? "-" : f.path("leader").asText(),
                            f.path("lockOnly").asBoolean()
                                    ? "locks"
                                    : f.path("acceptsBegins").asBoolean() ? "yes" : "no",
                            f.path("lockSlots").asInt(),
                            String.join(",", ApiClient.JSON.convertValue(f.path("replicas"), String[].class)));
        }
        return 0;
    }
}
