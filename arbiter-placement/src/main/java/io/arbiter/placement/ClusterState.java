package io.arbiter.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the scheduler decides from: the members, the fragments (from the cluster map plus what the nodes
 * report), the operators still running, and the load history the {@link LoadWindow} keeps.
 *
 * @param nodes              the cluster's members, ascending by id
 * @param fragments          the fragments, ascending by id
 * @param inFlight           operators started and not yet ended (their fragments are left alone)
 * @param calmSinceMs        since when the whole cluster has been calm ({@code -1}: not calm now)
 * @param lastResizeMs       when a fragment was last created or retired by the scheduler ({@code -1}: never)
 * @param lastLoadMoveMs     per fragment, when its leader was last moved for load
 */
public record ClusterState(
        List<NodeState> nodes,
        List<FragmentState> fragments,
        List<Operator> inFlight,
        long calmSinceMs,
        long lastResizeMs,
        Map<Integer, Long> lastLoadMoveMs) {
    public ClusterState {
        nodes = nodes.stream().sorted(Comparator.comparing(NodeState::id)).toList();
        fragments = fragments.stream()
                .sorted(Comparator.comparingInt(FragmentState::id))
                .toList();
        inFlight = List.copyOf(inFlight);
        lastLoadMoveMs = Map.copyOf(Objects.requireNonNull(lastLoadMoveMs, "lastLoadMoveMs"));
    }

    /** A state with no operators running and no load history. */
    public static ClusterState of(List<NodeState> nodes, List<FragmentState> fragments) {
        return new ClusterState(nodes, fragments, List.of(), -1, -1, Map.of());
    }

    public Optional<NodeState> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    public Optional<FragmentState> fragment(int id) {
        return fragments.stream().filter(f -> f.id() == id).findFirst();
    }

    public ClusterState withInFlight(List<Operator> operators) {
        return new ClusterState(nodes, fragments, operators, calmSinceMs, lastResizeMs, lastLoadMoveMs);
    }

    public ClusterState withNodes(List<NodeState> changed) {
        return new ClusterState(changed, fragments, inFlight, calmSinceMs, lastResizeMs, lastLoadMoveMs);
    }

    public ClusterState withFragments(List<FragmentState> changed) {
        return new ClusterState(nodes, changed, inFlight, calmSinceMs, lastResizeMs, lastLoadMoveMs);
    }

    public ClusterState withHistory(long calmSince, long lastResize, Map<Integer, Long> lastLoadMoves) {
        return new ClusterState(nodes, fragments, inFlight, calmSince, lastResize, lastLoadMoves);
    }
}
