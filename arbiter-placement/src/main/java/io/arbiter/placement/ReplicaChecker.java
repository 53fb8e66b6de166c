package io.arbiter.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Keeps every fragment at its replica target on healthy nodes (PD's replica checker): a fragment short of replicas
 * gets one on the best node, a replica on a node that is down for long, draining or gone is replaced (added first,
 * removed after) or removed, an extra replica is removed, and a leader on a draining node is handed over. Where the
 * map and the Raft group disagree for long (a change that went half through), a voter the map does not name leaves
 * the group, and a replica the map names that does not vote is added to it (or removed from the map, on a node that
 * must go anyway). Nothing
 * is planned for a fragment without a quorum now, and no planned step leaves its voters without a reachable
 * majority.
 */
final class ReplicaChecker {
    private ReplicaChecker() {}

    static Optional<Operator> check(FragmentState f, Projection p) {
        List<String> present = f.replicas();
        if (p.busy(f.id()) || present.isEmpty() || !p.hasQuorum(f.voters() == null ? present : f.voters())) {
            return Optional.empty();
        }
        Optional<Operator> ghost = removeGhost(f, p);
        if (ghost.isPresent() || !f.ghosts().isEmpty()) {
            return ghost;
        }
        Optional<String> stray = f.strays().stream()
                .filter(r -> !p.bad(r) && p.reachable(r))
                .sorted()
                .findFirst();
        if (stray.isPresent()) {
            // an add whose map half went through but not its Raft half: finish it (a stray on a node that must go
            // anyway is removed below, with the other bad replicas)
            return Optional.of(new Operator(
                    Operator.Kind.REPAIR,
                    f.id(),
                    List.of(new Step.AddReplica(f.id(), stray.get())),
                    "replica on " + stray.get() + " is in the map but does not vote in the Raft group"));
        }
        List<String> bad = present.stream()
                .filter(p::bad)
                .sorted(Comparator.comparing((String r) -> p.reachable(r)).thenComparing(r -> r))
                .toList();
        int healthy = present.size() - bad.size();
        int target = p.replicaTarget();
        if (healthy < target) {
            Optional<String> to = best(f, p);
            if (to.isEmpty()) {
                return Optional.empty();
            }
            List<Step> steps = new ArrayList<>(List.of(new Step.AddReplica(f.id(), to.get())));
            List<String> grown = new ArrayList<>(present);
            grown.add(to.get());
            if (!bad.isEmpty() && healthy + 1 >= target) {
                steps.addAll(removal(f, bad.get(0), grown, to.get(), p));
            }
            return Optional.of(new Operator(
                    Operator.Kind.REPAIR,
                    f.id(),
                    steps,
                    bad.isEmpty()
                            ? present.size() + " of " + target + " replicas"
                            : "replica on " + bad.get(0) + " is " + why(bad.get(0), p)));
        }
        if (!bad.isEmpty()) {
            List<Step> steps = removal(f, bad.get(0), present, null, p);
            return steps.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new Operator(
                            Operator.Kind.REPAIR,
                            f.id(),
                            steps,
                            "replica on " + bad.get(0) + " is " + why(bad.get(0), p)));
        }
        if (present.size() > target) {
            String extra = present.stream()
                    .sorted(Comparator.comparing((String r) -> r.equals(f.leader()))
                            .thenComparing(r -> -p.replicas(r))
                            .thenComparing(r -> r))
                    .findFirst()
                    .orElseThrow();
            List<Step> steps = removal(f, extra, present, null, p);
            return steps.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new Operator(
                            Operator.Kind.REMOVE_EXTRA, f.id(), steps, present.size() + " replicas, target " + target));
        }
        return Optional.empty();
    }

    /**
     * A voter the map does not name (a removal whose map half went through but not its Raft half, or an add that
     * finished after the map had dropped the node) leaves the Raft group, if the rest of the voters can commit.
     */
    private static Optional<Operator> removeGhost(FragmentState f, Projection p) {
        Optional<String> ghost = f.ghosts().stream()
                .min(Comparator.comparing((String r) -> p.reachable(r)).thenComparing(r -> r));
        if (ghost.isEmpty()) {
            return Optional.empty();
        }
        List<String> rest = new ArrayList<>(f.voters());
        rest.remove(ghost.get());
        if (rest.isEmpty() || !p.hasQuorum(rest)) {
            return Optional.empty();
        }
        return Optional.of(new Operator(
                Operator.Kind.REPAIR,
                f.id(),
                List.of(new Step.RemoveReplica(f.id(), ghost.get())),
                "replica on " + ghost.get() + " votes in the Raft group but the map does not name it"));
    }

    /**
     * The steps that remove {@code victim} from {@code voters} (a leader hands over first), or none if the rest
     * would have no reachable majority.
     */
    private static List<Step> removal(FragmentState f, String victim, List<String> voters, String added, Projection p) {
        List<String> rest = new ArrayList<>(voters);
        rest.remove(victim);
        if (rest.isEmpty() || !p.hasQuorum(rest)) {
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        if (victim.equals(f.leader())) {
            Optional<String> heir = rest.stream()
                    .filter(r -> !p.bad(r) && p.reachable(r) && (f.votes(r) || r.equals(added)))
                    .min(Comparator.comparingInt(p::leaders)
                            .thenComparing(r -> r.equals(added))
                            .thenComparing(r -> r));
            if (heir.isEmpty()) {
                return List.of();
            }
            steps.add(new Step.TransferLeader(f.id(), heir.get()));
        }
        steps.add(new Step.RemoveReplica(f.id(), victim));
        return steps;
    }

    /** The usable node with the fewest replicas (then the least CPU, then by id) that holds none of {@code f}. */
    static Optional<String> best(FragmentState f, Projection p) {
        return p.usable().stream()
                .filter(n -> !f.hasReplicaOn(n.id()))
                .min(Comparator.comparingInt((NodeState n) -> p.replicas(n.id()))
                        .thenComparingDouble(NodeState::cpu)
                        .thenComparing(NodeState::id))
                .map(NodeState::id);
    }

    private static String why(String replica, Projection p) {
        NodeState n = p.node(replica);
        return n == null ? "not a member any more" : n.draining() ? "draining" : "down since " + n.sinceMs();
    }
}
