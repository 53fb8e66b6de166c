package io.arbiter.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the meta group (the cluster map's own Raft group) on live members, as the scheduler keeps fragments: the
 * group should have 3 voters (5 once 5 nodes are usable, fewer in a smaller cluster), none of them a node that left
 * the cluster, is draining or has been down for {@code nodeDownAfterMs} (the size counts the members that are not
 * draining, reachable or not). One change at a time, chosen here from the
 * voters and the cluster's state; the caller carries it out and asks again:
 * <ol>
 *   <li>too few good voters and a usable node that is not one: add it (lowest id first, so the choice is stable);
 *   <li>else a bad voter, or more voters than wanted: remove one (a bad one first; one that is only down, once a
 *       replacement has joined); the meta leader itself is never removed, its leadership is handed to another live
 *       voter first;
 * </ol>
 * and never a removal that would leave the remaining voters without a reachable majority.
 *
 * <p>Threading: stateless.
 */
public final class MetaVoters {
    /** The meta group's fragment number in steps. */
    public static final int META = -1;

    private MetaVoters() {}

    /** How many voters the meta group should have in a cluster of {@code members} members that stay. */
    public static int wanted(int members) {
        return members >= 5 ? 5 : Math.max(1, Math.min(members, 3));
    }

    /**
     * The next change to the meta group's voters, if any: {@link Step.AddReplica}, {@link Step.RemoveReplica} or
     * (when the voter to remove is {@code leader}) {@link Step.TransferLeader}, all with fragment {@link #META}.
     *
     * @param voters the meta group's current configuration
     * @param leader the node that leads the meta group (the one asking)
     */
    public static Optional<Step> next(
            List<String> voters, String leader, ClusterState state, PlacementSettings settings, long now) {
        List<String> usable = new ArrayList<>();
        int staying = 0;
        for (NodeState n : state.nodes()) {
            if (n.usable(now, settings.stableAfterMs())) {
                usable.add(n.id());
            }
            if (!n.draining()) {
                staying++;
            }
        }
        usable.sort(null);
        // sized by the members that stay, reachable or not: a node that cannot be reached for a moment must not
        // make the group smaller (that is when its redundancy matters)
        int wanted = wanted(staying);
        List<String> bad =
                voters.stream().filter(v -> bad(v, state, settings, now)).toList();
        int good = voters.size() - bad.size();
        if (good < wanted) {
            Optional<String> candidate =
                    usable.stream().filter(n -> !voters.contains(n)).findFirst();
            if (candidate.isPresent()) {
                return Optional.of(new Step.AddReplica(META, candidate.get()));
            }
        }
        // a voter that is only down (still a member, may come back) goes once a replacement has joined; one that
        // left the cluster or drains goes anyway
        String leaving = bad.stream()
                .filter(v -> !onlyDown(v, state) || good >= wanted)
                .findFirst()
                .orElse(bad.isEmpty() && voters.size() > wanted ? extra(voters, leader, state) : null);
        if (leaving == null) {
            return Optional.empty();
        }
        if (leaving.equals(leader)) {
            return voters.stream()
                    .filter(v -> !v.equals(leader) && !bad.contains(v) && reachable(v, state))
                    .findFirst()
                    .map(heir -> new Step.TransferLeader(META, heir));
        }
        List<String> remaining = voters.stream().filter(v -> !v.equals(leaving)).toList();
        long live = remaining.stream().filter(v -> reachable(v, state)).count();
        return live * 2 > remaining.size() ? Optional.of(new Step.RemoveReplica(META, leaving)) : Optional.empty();
    }

    /**
     * A voter to drop when there are more than wanted and none is bad: one that cannot be reached now if any (never
     * a healthy one while another is out of reach), else the last one by id; never the leader.
     */
    private static String extra(List<String> voters, String leader, ClusterState state) {
        List<String> candidates =
                voters.stream().filter(v -> !v.equals(leader)).sorted().toList();
        return candidates.stream()
                .filter(v -> !reachable(v, state))
                .findFirst()
                .orElse(candidates.isEmpty() ? null : candidates.get(candidates.size() - 1));
    }

    private static boolean bad(String voter, ClusterState state, PlacementSettings settings, long now) {
        Optional<NodeState> n = state.node(voter);
        return n.isEmpty() || n.get().draining() || n.get().down(now, settings.nodeDownAfterMs());
    }

    private static boolean onlyDown(String voter, ClusterState state) {
        return state.node(voter).map(n -> !n.draining()).orElse(false);
    }

    private static boolean reachable(String node, ClusterState state) {
        return state.node(node).map(NodeState::reachable).orElse(false);
    }
}
