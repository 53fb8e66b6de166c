package io.arbiter.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Moves a leader off a node whose led fragments apply much more than their share of the commands (the node does
 * their Raft and phase-two work). One move per round; only when the busiest node is above
 * {@link PlacementSettings#loadImbalance} times the mean and above an absolute floor; only to a replica whose node
 * stays within the leader-count bounds; only when the busiest of the two nodes afterwards is less busy than the
 * source was; and a fragment moved for load is left alone for {@link PlacementSettings#loadMoveCooldownMs}, so
 * that a load that follows its leader cannot make the leader bounce.
 */
final class LoadBalancer {
    private LoadBalancer() {}

    static Optional<Operator> balance(Projection p, PlacementSettings settings) {
        List<NodeState> nodes = p.usable();
        if (nodes.size() < 2) {
            return Optional.empty();
        }
        double total = nodes.stream().mapToDouble(n -> p.load(n.id())).sum();
        double mean = total / nodes.size();
        NodeState busiest = nodes.stream()
                .max(Comparator.comparingDouble((NodeState n) -> p.load(n.id()))
                        .thenComparing(NodeState::id, Comparator.reverseOrder()))
                .orElseThrow();
        double busy = p.load(busiest.id());
        if (busy < settings.loadMinCommandsPerSecond()
                || busy <= settings.loadImbalance() * mean
                || p.leaders(busiest.id()) < 2) {
            return Optional.empty();
        }
        int maxLeaders = Balancer.bounds(nodes, p::leaders, settings)[1];
        Operator best = null;
        double bestPeak = busy;
        for (FragmentState f : p.state().fragments()) {
            if (!busiest.id().equals(f.leader()) || !Balancer.movable(f, p) || coolingDown(f, p, settings)) {
                continue;
            }
            for (String to : f.replicas()) {
                NodeState n = p.node(to);
                if (to.equals(busiest.id())
                        || n == null
                        || !n.usable(p.now(), settings.stableAfterMs())
                        || p.leaders(to) + 1 > maxLeaders) {
                    continue;
                }
                double peak = Math.max(busy - f.commandsPerSecond(), p.load(to) + f.commandsPerSecond());
                if (peak < bestPeak) {
                    bestPeak = peak;
                    best = new Operator(
                            Operator.Kind.BALANCE_LOAD,
                            f.id(),
                            List.of(new Step.TransferLeader(f.id(), to)),
                            String.format(
                                    Locale.ROOT,
                                    "%s applies %.0f commands/s, the mean is %.0f",
                                    busiest.id(),
                                    busy,
                                    mean));
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean coolingDown(FragmentState f, Projection p, PlacementSettings settings) {
        Long moved = p.state().lastLoadMoveMs().get(f.id());
        return moved != null && p.now() - moved < settings.loadMoveCooldownMs();
    }
}
