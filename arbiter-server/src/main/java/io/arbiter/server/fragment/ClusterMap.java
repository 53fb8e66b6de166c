package io.arbiter.server.fragment;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The shape of the cluster: its member nodes, its fragments with the nodes holding their replicas, and the lock-slot
 * owners, with an epoch that grows with every change. Leaders are not part of it: they change with elections and are
 * read from the fragments' Raft groups. Immutable.
 *
 * @param epoch     grows with every change of the map
 * @param fragments every fragment, ascending by id
 * @param slots     lock slot → owning fragment
 * @param nodes     the cluster's members, ascending by id (empty in maps written before members were recorded:
 *                  then the members are the nodes holding replicas)
 */
public record ClusterMap(long epoch, List<FragmentInfo> fragments, SlotMap slots, List<NodeInfo> nodes) {

    /** A member node: its id (host:raftPort) and whether everything is being moved off it. */
    public record NodeInfo(String id, boolean draining) {}

    /**
     * One fragment: its id, the nodes that hold its replicas, whether it is still in service (false once retired:
     * it takes no new transactions and goes away once empty), the nodes it was created on (they start its group with
     * that configuration; nodes given a replica later join it), and whether it is lock-only: it holds row locks for
     * the other fragments' transactions in its leader's memory and takes no transactions itself
     * ({@code docs/LOCKS.md} "Locks in the leader's memory"; fixed when the cluster is created).
     */
    public record FragmentInfo(
            int id, List<String> replicas, boolean acceptsBegins, List<String> founders, boolean lockOnly) {
        public FragmentInfo {
            replicas = List.copyOf(replicas);
            founders = List.copyOf(founders);
        }

        /** A fragment that takes transactions. */
        public FragmentInfo(int id, List<String> replicas, boolean acceptsBegins, List<String> founders) {
            this(id, replicas, acceptsBegins, founders, false);
        }

        /** Whether new transactions may begin here: in service and not lock-only. */
        public boolean takesBegins() {
            return acceptsBegins && !lockOnly;
        }

        public FragmentInfo withReplicas(List<String> newReplicas) {
            return new FragmentInfo(id, newReplicas, acceptsBegins, founders, lockOnly);
        }

        /**
         * The same without founders: once its membership changed, a replica started later on any node joins (it is
         * caught up by the group before it counts), never starts the group afresh from its first configuration.
         */
        public FragmentInfo withoutFounders() {
            return founders.isEmpty() ? this : new FragmentInfo(id, replicas, acceptsBegins, List.of(), lockOnly);
        }

        public FragmentInfo withAcceptsBegins(boolean accepts) {
            return new FragmentInfo(id, replicas, accepts, founders, lockOnly);
        }
    }

    public ClusterMap {
        fragments = fragments.stream()
                .sorted(Comparator.comparingInt(FragmentInfo::id))
                .toList();
        nodes = nodes.stream().sorted(Comparator.comparing(NodeInfo::id)).toList();
    }

    /** A map with no member list recorded (members are the replica holders). */
    public ClusterMap(long epoch, List<FragmentInfo> fragments, SlotMap slots) {
        this(epoch, fragments, slots, List.of());
    }

    /** The member nodes' ids, ascending: the recorded list, or (for an older map) every node holding a replica. */
    public List<String> members() {
        if (!nodes.isEmpty()) {
            return nodes.stream().map(NodeInfo::id).toList();
        }
        return fragments.stream()
                .flatMap(f -> f.replicas().stream())
                .distinct()
                .sorted()
                .toList();
    }

    public Optional<NodeInfo> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** The same map with these members (draining flags kept for those that stay), the epoch raised. */
    public ClusterMap withMembers(List<String> ids) {
        List<NodeInfo> next = ids.stream()
                .distinct()
                .map(id -> node(id).orElse(new NodeInfo(id, false)))
                .toList();
        return new ClusterMap(epoch + 1, fragments, slots, next);
    }

    /** The same map with node {@code id} draining or not, the epoch raised. */
    public ClusterMap withDraining(String id, boolean draining) {
        List<NodeInfo> next = nodes.stream()
                .map(n -> n.id().equals(id) ? new NodeInfo(id, draining) : n)
                .toList();
        return new ClusterMap(epoch + 1, fragments, slots, next);
    }

    /**
     * The map a cluster starts with: fragments {@code 0..count-1}, each with a replica on every node (up to
     * {@code replicasPerFragment} nodes, taken round-robin from fragment to fragment), slots spread over all of them.
     */
    public static ClusterMap initial(int count, List<String> nodeIds, int replicasPerFragment) {
        return initial(count, nodeIds, replicasPerFragment, count);
    }

    /**
     * {@link #initial(int, List, int)} with the lock slots spread over the first {@code lockFragments} fragments
     * only ({@code arbiter.lock-fragments}).
     */
    public static ClusterMap initial(int count, List<String> nodeIds, int replicasPerFragment, int lockFragments) {
        return initial(count, nodeIds, replicasPerFragment, lockFragments, false);
    }

    /**
     * {@link #initial(int, List, int, int)}; with {@code lockOnly} and more fragments than {@code lockFragments}, the
     * fragments owning the lock slots are lock-only ({@code arbiter.lock-table=memory}).
     */
    public static ClusterMap initial(
            int count, List<String> nodeIds, int replicasPerFragment, int lockFragments, boolean lockOnly) {
        if (lockFragments < 1 || lockFragments > count) {
            throw new IllegalArgumentException(
                    "lock fragments must be between 1 and " + count + ", got " + lockFragments);
        }
        List<String> nodes = nodeIds.stream().sorted().toList();
        int replicas = Math.min(replicasPerFragment, nodes.size());
        List<FragmentInfo> fragments = new java.util.ArrayList<>();
        for (int f = 0; f < count; f++) {
            List<String> holders = new java.util.ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                holders.add(nodes.get((f + r) % nodes.size()));
            }
            fragments.add(new FragmentInfo(
                    f, holders, true, holders, lockOnly && count > lockFragments && f < lockFragments));
        }
        return new ClusterMap(
                1,
                fragments,
                SlotMap.spread(fragments.stream()
                        .map(FragmentInfo::id)
                        .limit(lockFragments)
                        .toList()),
                nodes.stream().map(id -> new NodeInfo(id, false)).toList());
    }

    public Optional<FragmentInfo> fragment(int id) {
        return fragments.stream().filter(f -> f.id() == id).findFirst();
    }

    /** The same map with one fragment replaced (or added) and the epoch raised. */
    public ClusterMap with(FragmentInfo changed) {
        List<FragmentInfo> list = new java.util.ArrayList<>(
                fragments.stream().filter(f -> f.id() != changed.id()).toList());
        list.add(changed);
        return new ClusterMap(epoch + 1, list, slots, nodes);
    }

    /** The same map with other lock-slot owners, the epoch raised. */
    public ClusterMap withSlots(SlotMap changed) {
        return new ClusterMap(epoch + 1, fragments, changed, nodes);
    }

    /** The same map without fragment {@code id}, the epoch raised. */
    public ClusterMap without(int id) {
        return new ClusterMap(
                epoch + 1, fragments.stream().filter(f -> f.id() != id).toList(), slots, nodes);
    }

    /** Whether fragment {@code id} is lock-only (false for an unknown one). */
    public boolean lockOnly(int id) {
        return fragment(id).map(FragmentInfo::lockOnly).orElse(false);
    }

    /** The fragments with a replica on {@code nodeId}. */
    public List<FragmentInfo> hostedBy(String nodeId) {
        return fragments.stream().filter(f -> f.replicas().contains(nodeId)).toList();
    }
}
