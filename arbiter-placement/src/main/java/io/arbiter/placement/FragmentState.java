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
 * @param voters             its Raft group's voters as its leader reports them, when they have differed from
 *     {@code replicas} for a while (a change whose Raft half or map half failed); null when they agree or are
 *     unknown. A replica in the map but not among the voters is a <em>stray</em> (it holds no vote; the map's entry
 *     is removed), a voter the map does not name is a <em>ghost</em> (it is removed from the group).
 */
public record FragmentState(
        int id,
        List<String> replicas,
        String leader,
        boolean acceptsBegins,
        double commandsPerSecond,
        int activeTransactions,
        int overloadedSamples,
        List<String> voters) {
    public FragmentState {
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
        voters = voters == null ? null : List.copyOf(voters);
    }

    /** A fragment whose voters agree with its replicas. */
    public FragmentState(
            int id,
            List<String> replicas,
            String leader,
            boolean acceptsBegins,
            double commandsPerSecond,
            int activeTransactions,
            int overloadedSamples) {
        this(id, replicas, leader, acceptsBegins, commandsPerSecond, activeTransactions, overloadedSamples, null);
    }

    /** An idle fragment taking begins. */
    public static FragmentState of(int id, List<String> replicas, String leader) {
        return new FragmentState(id, replicas, leader, true, 0, 0, 0);
    }

    public boolean hasReplicaOn(String node) {
        return replicas.contains(node);
    }

    /** Whether {@code node} votes in the fragment's Raft group (as far as known: the map's word when unknown). */
    public boolean votes(String node) {
        return voters == null ? replicas.contains(node) : voters.contains(node);
    }

    /** Replicas the map names that do not vote in the Raft group. */
    public List<String> strays() {
        return voters == null
                ? List.of()
                : replicas.stream().filter(r -> !voters.contains(r)).toList();
    }

    /** Voters of the Raft group that the map does not name. */
    public List<String> ghosts() {
        return voters == null
                ? List.of()
                : voters.stream().filter(v -> !replicas.contains(v)).toList();
    }

    /** The replicas that also vote (all of them when the voters agree with the map or are unknown). */
    public List<String> voting() {
        return voters == null
                ? replicas
                : replicas.stream().filter(voters::contains).toList();
    }

    public FragmentState withReplicas(List<String> nodes) {
        return new FragmentState(
                id,
                nodes,
                nodes.contains(leader) ? leader : null,
                acceptsBegins,
                commandsPerSecond,
                activeTransactions,
                overloadedSamples,
                voters);
    }

    public FragmentState withLeader(String node) {
        return new FragmentState(
                id, replicas, node, acceptsBegins, commandsPerSecond, activeTransactions, overloadedSamples, voters);
    }

    public FragmentState withAcceptsBegins(boolean accepts) {
        return new FragmentState(
                id, replicas, leader, accepts, commandsPerSecond, activeTransactions, overloadedSamples, voters);
    }

    public FragmentState withLoad(double commands, int active, int overloaded) {
        return new FragmentState(id, replicas, leader, acceptsBegins, commands, active, overloaded, voters);
    }

    public FragmentState withVoters(List<String> nodes) {
        return new FragmentState(
                id, replicas, leader, acceptsBegins, commandsPerSecond, activeTransactions, overloadedSamples, nodes);
    }
}
