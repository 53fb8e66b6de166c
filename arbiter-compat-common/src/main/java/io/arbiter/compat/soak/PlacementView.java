package io.arbiter.compat.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Readings of placement's document ({@code GET /api/v1/cluster}: nodes, fragments with replicas and leader, the
 * meta group's voters, operators) and of a node's own map ({@code GET /api/v1/fragments}, with the role of each
 * replica it runs), and what "settled" means between two soak events: every node reachable and not draining, every
 * fragment on {@code min(3, nodes)} replicas with a leader, the meta group on as many voters, no placement operator
 * running ({@link #unsettled}), and every node running the replicas the map gives it ({@link #notRunning}).
 */
public final class PlacementView {
    private PlacementView() {}

    /** Null when {@code doc} shows a settled cluster of {@code nodes} nodes; else what is not settled yet. */
    public static String unsettled(JsonNode doc, int nodes) {
        int target = Math.min(3, nodes);
        List<String> wrong = new ArrayList<>();
        if (doc.path("nodes").size() != nodes) {
            wrong.add(doc.path("nodes").size() + " nodes in the map");
        }
        for (JsonNode n : doc.path("nodes")) {
            if (!n.path("reachable").asBoolean() || n.path("draining").asBoolean()) {
                wrong.add(n.path("id").asText() + (n.path("draining").asBoolean() ? " draining" : " unreachable"));
            }
        }
        if (doc.path("fragments").isEmpty()) {
            wrong.add("no fragment");
        }
        for (JsonNode f : doc.path("fragments")) {
            if (f.path("replicas").size() != target || leader(f).isEmpty()) {
                wrong.add("fragment " + f.path("id").asInt() + " on " + f.path("replicas") + " led by "
                        + (leader(f).isEmpty() ? "nobody" : leader(f)));
            }
        }
        if (doc.path("metaVoters").size() != target) {
            wrong.add("meta voters " + doc.path("metaVoters"));
        }
        long running = 0;
        for (JsonNode op : doc.path("operators")) {
            running += "RUNNING".equals(op.path("outcome").asText()) ? 1 : 0;
        }
        if (running > 0) {
            wrong.add(running + " operators running");
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }

    /**
     * The fragments that placement's document {@code placement} puts on node {@code nodeId} but that the node's own
     * {@code GET /api/v1/fragments} ({@code local}) shows no running replica of (no {@code role}).
     */
    public static List<Integer> notRunning(JsonNode placement, String nodeId, JsonNode local) {
        List<Integer> missing = new ArrayList<>();
        for (JsonNode f : placement.path("fragments")) {
            int id = f.path("id").asInt();
            if (replicas(f).contains(nodeId) && !fragment(local, id).has("role")) {
                missing.add(id);
            }
        }
        return missing;
    }

    /** The node entry for {@code id}, or a missing node. */
    public static JsonNode node(JsonNode doc, String id) {
        for (JsonNode n : doc.path("nodes")) {
            if (id.equals(n.path("id").asText())) {
                return n;
            }
        }
        return MissingNode.getInstance();
    }

    /** A fragment's leader id in either document ({@code /api/v1/cluster} or {@code /api/v1/fragments}); "" if none. */
    public static String leader(JsonNode fragment) {
        JsonNode l = fragment.path("leader");
        return l.isNull() || l.isMissingNode() ? "" : l.asText();
    }

    /** A fragment's replica ids. */
    public static List<String> replicas(JsonNode fragment) {
        List<String> out = new ArrayList<>();
        fragment.path("replicas").forEach(r -> out.add(r.asText()));
        return out;
    }

    /** The fragment entry with id {@code id} in either document, or a missing node. */
    public static JsonNode fragment(JsonNode doc, int id) {
        for (JsonNode f : doc.path("fragments")) {
            if (f.path("id").asInt() == id) {
                return f;
            }
        }
        return MissingNode.getInstance();
    }
}
