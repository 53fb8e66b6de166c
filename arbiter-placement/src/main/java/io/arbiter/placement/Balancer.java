package io.arbiter.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Evens out replicas and leaders per node (PD's balancers, TaaS's "about equal" rule). A node is out of balance
 * when its count is more than the tolerance away from the mean; then one replica (or
 * leader) moves from the node with the most to one with the fewest, and only when they differ by two or more, so
 * that a move never just swaps which node is out of line (no flapping once within the tolerance).
 */
final class Balancer {
    private Balancer() {}

    static List<Operator> replicas(Projection p, PlacementSettings settings, int budget) {
        return moves(p, settings, budget, true);
    }

    static List<Operator> leaders(Projection p, PlacementSettings settings, int budget) {
        return moves(p, settings, budget, false);
    }

    /** Up to {@code budget} moves of replicas (or leaders), each counted in the projection before the next. */
    private static List<Operator> moves(Projection p, PlacementSettings settings, int budget, boolean replicas) {
        List<Operator> planned = new ArrayList<>();
        while (planned.size() < budget) {
            Operator op = oneMove(p, settings, replicas ? p::replicas : p::leaders, replicas);
            if (op == null) {
                break;
            }
            p.add(op, false);
            planned.add(op);
        }
        return planned;
    }

    /**
     * The bounds a node's count must stay within: every whole number at most the tolerance away from the mean
     * ({@code [ceil(mean - t), floor(mean + t)]}; with 8 leaders on 5 nodes, 1 or 2 each).
     */
    static int[] bounds(List<NodeState> nodes, ToIntFunction<String> count, PlacementSettings settings) {
        double total = 0;
        for (NodeState n : nodes) {
            total += count.applyAsInt(n.id());
        }
        double mean = nodes.isEmpty() ? 0 : total / nodes.size();
        int tolerance = settings.tolerance(mean);
        return new int[] {(int) Math.ceil(mean - tolerance - 1e-9), (int) Math.floor(mean + tolerance + 1e-9)};
    }

    private static Operator oneMove(
            Projection p, PlacementSettings settings, ToIntFunction<String> count, boolean replicas) {
        List<NodeState> nodes = p.usable();
        if (nodes.size() < 2) {
            return null;
        }
        int[] bounds = bounds(nodes, count, settings);
        List<NodeState> sources = nodes.stream()
                .sorted(Comparator.comparingInt((NodeState n) -> -count.applyAsInt(n.id()))
                        .thenComparing(NodeState::id))
                .toList();
        List<NodeState> targets = nodes.stream()
                .sorted(Comparator.comparingInt((NodeState n) -> count.applyAsInt(n.id()))
                        .thenComparingDouble(NodeState::cpu)
                        .thenComparing(NodeState::id))
                .toList();
        for (NodeState source : sources) {
            for (NodeState target : targets) {
                int from = count.applyAsInt(source.id());
                int to = count.applyAsInt(target.id());
                if (from - to < 2) {
                    break; // targets ascend: no later one is further below
                }
                if (from <= bounds[1] && to >= bounds[0]) {
                    continue;
                }
                Operator op =
                        replicas ? moveReplica(p, source.id(), target.id()) : moveLeader(p, source.id(), target.id());
                if (op == null && !replicas) {
                    op = chainedLeaderMove(p, nodes, count, source.id(), target.id());
                }
                if (op != null) {
                    return op;
                }
            }
        }
        return null;
    }

    /**
     * When {@code source} leads no fragment that {@code target} holds: the first half of a move through a node in
     * between, which leads a fragment {@code target} holds and holds one {@code source} leads. It hands one of its
     * leaderships to {@code target} now; a later round moves one of {@code source}'s to it.
     */
    private static Operator chainedLeaderMove(
            Projection p, List<NodeState> nodes, ToIntFunction<String> count, String source, String target) {
        int from = count.applyAsInt(source);
        int to = count.applyAsInt(target);
        for (NodeState mid : nodes) {
            String m = mid.id();
            int between = count.applyAsInt(m);
            if (m.equals(source)
                    || m.equals(target)
                    || between <= to
                    || from - (between - 1) < 2
                    || moveLeader(p, source, m) == null) {
                continue;
            }
            Operator first = moveLeader(p, m, target);
            if (first != null) {
                return first;
            }
        }
        return null;
    }

    /** A healthy fragment on {@code from} and not on {@code to}, one {@code from} does not lead first. */
    private static Operator moveReplica(Projection p, String from, String to) {
        FragmentState chosen = null;
        for (FragmentState f : p.state().fragments()) {
            if (!movable(f, p) || !f.hasReplicaOn(from) || f.hasReplicaOn(to)) {
                continue;
            }
            if (chosen == null || from.equals(chosen.leader()) && !from.equals(f.leader())) {
                chosen = f;
            }
        }
        if (chosen == null) {
            return null;
        }
        FragmentState f = chosen;
        String heir = f.replicas().stream()
                .filter(r -> !r.equals(from))
                .min(Comparator.comparingInt(p::leaders).thenComparing(r -> r))
                .orElse(to);
        return new Operator(
                Operator.Kind.BALANCE_REPLICAS,
                f.id(),
                Operator.move(f, from, to, heir),
                from + " holds " + p.replicas(from) + " replicas, " + to + " " + p.replicas(to));
    }

    private static Operator moveLeader(Projection p, String from, String to) {
        for (FragmentState f : p.state().fragments()) {
            if (movable(f, p) && from.equals(f.leader()) && f.hasReplicaOn(to)) {
                return new Operator(
                        Operator.Kind.BALANCE_LEADERS,
                        f.id(),
                        List.of(new Step.TransferLeader(f.id(), to)),
                        from + " leads " + p.leaders(from) + " fragments, " + to + " " + p.leaders(to));
            }
        }
        return null;
    }

    /** Not taken by an operator, its voters as the map says, every replica reachable and healthy, a leader known. */
    static boolean movable(FragmentState f, Projection p) {
        return !p.busy(f.id())
                && f.leader() != null
                && f.voters() == null
                && f.replicas().stream().allMatch(r -> p.reachable(r) && !p.bad(r));
    }
}
