package io.arbiter.server.meta;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * This node's view of the meta group, the small Raft group (on up to 3 nodes, 5 when the cluster has 5 or more)
 * that holds the cluster map: its state machine, and its replica here when this node is one of its members.
 *
 * <p>Threading: thread-safe; map changes reach listeners on the group's apply thread.
 */
public final class MetaGroup {
    private final MetaStateMachine stateMachine = new MetaStateMachine();
    private final Function<String, Optional<ClusterMember>> members;
    private final List<String> initialMembers;
    private final AtomicInteger guess = new AtomicInteger();
    private volatile ReplicaGroup group;

    /**
     * @param initialMembers the nodes that hold the meta group, as this node's configuration says (a node without a
     *     replica asks them in turn until it finds the leader)
     */
    public MetaGroup(Function<String, Optional<ClusterMember>> members, List<String> initialMembers) {
        this.members = members;
        this.initialMembers = List.copyOf(initialMembers);
    }

    /** How many nodes hold the meta group in a cluster of {@code nodes}. */
    public static int replicasFor(int nodes) {
        return nodes >= 5 ? 5 : Math.min(nodes, 3);
    }

    /** The nodes of a new cluster that hold the meta group: the first ones by id. */
    public static List<String> initialMembers(List<String> nodeIds) {
        return nodeIds.stream().sorted().limit(replicasFor(nodeIds.size())).toList();
    }

    public MetaStateMachine stateMachine() {
        return stateMachine;
    }

    public void attach(ReplicaGroup replicaGroup) {
        this.group = replicaGroup;
    }

    /** The replica on this node, if any. */
    public Optional<ReplicaGroup> replica() {
        return Optional.ofNullable(group);
    }

    public ClusterMap map() {
        return stateMachine.map();
    }

    public void onChange(Consumer<ClusterMap> listener) {
        stateMachine.onChange(listener);
    }

    public boolean isLeader() {
        ReplicaGroup g = group;
        return g != null && g.isLeader();
    }

    /**
     * The meta group's leader as this node's replica knows it; a node without a replica names one of the meta
     * members in turn (a member that does not lead answers NotLeader, and the caller asks again).
     */
    public Optional<ClusterMember> leader() {
        ReplicaGroup g = group;
        if (g != null) {
            return g.leaderId().flatMap(members);
        }
        if (initialMembers.isEmpty()) {
            return Optional.empty();
        }
        return members.apply(initialMembers.get(Math.floorMod(guess.getAndIncrement(), initialMembers.size())));
    }

    /** Proposes an encoded meta command on this node's replica (which should lead). */
    public CompletableFuture<byte[]> propose(byte[] encoded) {
        try {
            MetaCodec.decodeCommand(encoded);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        ReplicaGroup g = group;
        return g == null ? CompletableFuture.failedFuture(new IllegalStateException("no meta replica here"))
                : g.propose(encoded);
    }
}
