package io.arbiter.placement;

import java.util.List;
import java.util.Objects;

/**
 * One fragment as the placement loop sees it.
 *
 * @param id                 fragment id
 * @param replicas           the nodes holding a voting replica (the first is its preferred leader)
 * @param leader             the node leading it now, or null while unknown or electing
 * @param acceptsBegins      whether new transactions may begin in it (false once retiring)
 * @param commandsPerSecond  commands its leader applied per second lately (its share of the work)
 * @param activeTransactions open global transactions in it now
 * @param overloadedSamples  of the last {@link LoadWindow#SAMPLES} one-second samples, how many saw it overloaded
 */
public record FragmentState(
        int id,
        List<String> replicas,
        String leader,
        boolean acceptsBegins,
        double commandsPerSecond,
        int activeTransactions,
        int overloadedSamples) {
    public FragmentState {
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
    }

    /** An idle fragment taking begins. */
    public static FragmentState of(int id, List<String> replicas, String leader) {
        return new FragmentState(id, replicas, leader, true, 0, 0, 0);
    }

    public boolean hasReplicaOn(String node) {
        return replicas.contains(node);
    }

    public FragmentState withReplicas(List<String> nodes) {
        return new FragmentState(
                id,
                nodes,
                nodes.contains(leader) ? leader : null,
                acceptsBegins,
                commandsPerSecond,
                activeTransactions,
                overloadedSamples);
    }

    public FragmentState withLeader(String node) {
        return new FragmentState(
                id, replicas, node, acceptsBegins, commandsPerSecond, activeTransactions, overloadedSamples);
    }

    public FragmentState withAcceptsBegins(boolean accepts) {
        return new FragmentState(
                id, replicas, leader, accepts, commandsPerSecond, activeTransactions, overloadedSamples);
    }

    public FragmentState withLoad(double commands, int active, int overloaded) {
        return new FragmentState(id, replicas, leader, acceptsBegins, commands, active, overloaded);
    }
}
