package io.arbiter.placement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster as it will be once the running operators and those planned so far in this round are done (PD's
 * "influence"): replicas and leaders per node, fragments already taken by an operator. Counting the pending
 * effects keeps one round from planning moves that the running ones already make.
 *
 * <p>Threading: confined to one {@link Scheduler#schedule} call.
 */
final class Projection {
    private final ClusterState state;
    private final long now;
    private final PlacementSettings settings;
    private final Map<String, Integer> replicas = new TreeMap<>();
    private final Map<String, Integer> leaders = new TreeMap<>();
    private final Map<String, Double> load = new TreeMap<>();
    private final Set<Integer> busy = new HashSet<>();
    private boolean resizing;

    Projection(ClusterState state, PlacementSettings settings, long now) {
        this.state = state;
        this.now = now;
        this.settings = settings;
        for (NodeState n : state.nodes()) {
            replicas.put(n.id(), 0);
            leaders.put(n.id(), 0);
            load.put(n.id(), 0.0);
        }
        for (FragmentState f : state.fragments()) {
            f.replicas().forEach(r -> replicas.merge(r, 1, Integer::sum));
            if (f.leader() != null) {
                leaders.merge(f.leader(), 1, Integer::sum);
                load.merge(f.leader(), f.commandsPerSecond(), Double::sum);
            }
        }
        state.inFlight().forEach(op -> add(op, true));
    }

    /** Counts an operator's remaining effects and takes its fragment. */
    void add(Operator op, boolean skipDone) {
        if (op.fragment() >= 0) {
            busy.add(op.fragment());
        }
        if (op.kind() == Operator.Kind.GROW || op.kind() == Operator.Kind.SHRINK) {
            resizing = true;
        }
        FragmentState f = state.fragment(op.fragment()).orElse(null);
        String leader = f == null ? null : f.leader();
        for (Step step : op.steps()) {
            if (skipDone && step.isDone(state)) {
                continue;
            }
            if (step instanceof Step.AddReplica a) {
                replicas.merge(a.node(), 1, Integer::sum);
            } else if (step instanceof Step.RemoveReplica r) {
                replicas.merge(r.node(), -1, Integer::sum);
            } else if (step instanceof Step.TransferLeader t && f != null) {
                if (leader != null) {
                    leaders.merge(leader, -1, Integer::sum);
                    load.merge(leader, -f.commandsPerSecond(), Double::sum);
                }
                leaders.merge(t.node(), 1, Integer::sum);
                load.merge(t.node(), f.commandsPerSecond(), Double::sum);
                leader = t.node();
            } else if (step instanceof Step.CreateFragment c) {
                c.replicas().forEach(r -> replicas.merge(r, 1, Integer::sum));
                leaders.merge(c.replicas().get(0), 1, Integer::sum);
            }
        }
    }

    ClusterState state() {
        return state;
    }

    long now() {
        return now;
    }

    boolean busy(int fragment) {
        return busy.contains(fragment);
    }

    boolean resizing() {
        return resizing;
    }

    int replicas(String node) {
        return replicas.getOrDefault(node, 0);
    }

    int leaders(String node) {
        return leaders.getOrDefault(node, 0);
    }

    double load(String node) {
        return load.getOrDefault(node, 0.0);
    }

    NodeState node(String id) {
        return state.node(id).orElse(null);
    }

    /** Reachable for a while and not draining: may receive replicas and leaders. */
    List<NodeState> usable() {
        List<NodeState> usable = new ArrayList<>();
        for (NodeState n : state.nodes()) {
            if (n.usable(now, settings.stableAfterMs())) {
                usable.add(n);
            }
        }
        return usable;
    }

    /**
     * Members not draining: the nodes a fragment's replica target counts. A down node still counts (it is a member
     * until removed): with 3 members and one down, fragments keep waiting for a third node rather than shrinking
     * to 2 replicas, which would tolerate no more failures than 2 of 3 do and cost a copy when the node returns.
     */
    int eligibleCount() {
        int count = 0;
        for (NodeState n : state.nodes()) {
            if (!n.draining()) {
                count++;
            }
        }
        return count;
    }

    /** The replica count every fragment should have now. */
    int replicaTarget() {
        return Math.max(1, Math.min(settings.replicas(), eligibleCount()));
    }

    /** A replica that must go: on a node that left the cluster, is down for long, or is draining. */
    boolean bad(String replica) {
        NodeState n = node(replica);
        return n == null || n.draining() || n.down(now, settings.nodeDownAfterMs());
    }

    boolean reachable(String replica) {
        NodeState n = node(replica);
        return n != null && n.reachable();
    }

    /** Whether a group of these voters can commit: a majority of them reachable. */
    boolean hasQuorum(List<String> voters) {
        long up = voters.stream().filter(this::reachable).count();
        return !voters.isEmpty() && up >= voters.size() / 2 + 1;
    }
}
