package io.arbiter.server.meta;

import io.arbiter.replication.GroupView;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final List<Consumer<ClusterMap>> listeners = new CopyOnWriteArrayList<>();
    /** The state machine of the replica started here last (an empty one before any). */
    private volatile MetaStateMachine stateMachine = newStateMachine();

    private final Function<String, Optional<ClusterMember>> members;
    private final List<String> initialMembers;
    private final String selfId;
    private final AtomicInteger guess = new AtomicInteger();
    private volatile ReplicaGroup group;
    private volatile java.util.function.Supplier<List<String>> moreCandidates = List::of;

    /**
     * @param initialMembers the nodes that hold the meta group, as this node's configuration says (a node without a
     *     replica asks them in turn until it finds the leader)
     */
    public MetaGroup(Function<String, Optional<ClusterMember>> members, List<String> initialMembers) {
        this(null, members, initialMembers);
    }

    /** @param selfId this node's id (a replica whose configuration lacks it is no longer followed) */
    public MetaGroup(String selfId, Function<String, Optional<ClusterMember>> members, List<String> initialMembers) {
        this.selfId = selfId;
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

    /** The state machine of this node's replica (the one started last; an empty one before any started). */
    public MetaStateMachine stateMachine() {
        return stateMachine;
    }

    /**
     * A new, empty state machine for a replica of the meta group that starts on this node now (recovered from disk
     * at start, or joining): the replica rebuilds the map from its own snapshot and log. From now on {@link #map}
     * reads it and {@link #onChange} listeners hear its maps only (not those of an earlier replica still closing).
     *
     * <p>A replica must never start on the state an earlier replica on this node left: it would apply the group's
     * log again on top of that map, and every entry that changed the map then would raise the epoch once more, so the
     * replica would count more epochs than the others for the same maps (a drained node that joined the meta group
     * again counted 15 more, and nodes that follow maps by epoch stayed on a stale map).
     */
    public MetaStateMachine replicaStateMachine() {
        MetaStateMachine fresh = newStateMachine();
        stateMachine = fresh;
        return fresh;
    }

    private MetaStateMachine newStateMachine() {
        MetaStateMachine fresh = new MetaStateMachine();
        fresh.onChange(map -> {
            if (stateMachine == fresh) {
                listeners.forEach(l -> l.accept(map));
            }
        });
        return fresh;
    }

    public void attach(ReplicaGroup replicaGroup) {
        this.group = replicaGroup;
    }

    /** This node's replica left the meta group: from now on it follows the map from the meta members. */
    public void detach() {
        this.group = null;
    }

    /**
     * Where a node without a replica looks for the meta leader besides the meta group's first members: the
     * cluster's current members (the meta group may have moved to other nodes since the cluster was created).
     */
    public void guessAlso(java.util.function.Supplier<List<String>> more) {
        this.moreCandidates = more;
    }

    /**
     * Whether this node's replica is one of the group's voters, so that the map it applies is the current one: not
     * while a replica that is joining has not been added yet, nor once the group has removed it (it then learns
     * nothing new). A removed replica does not always see the configuration without it: it may stop itself when
     * the voters turn its election down, with its old configuration, so it must also still be running (its view's
     * {@code member}). Otherwise the node reads the map from the meta leader.
     */
    public boolean following() {
        ReplicaGroup g = group;
        return g != null && (selfId == null || g.view().member() && names(g, selfId));
    }

    /**
     * Whether the group removed this node's replica: its configuration lacks this node, or the replica stopped itself
     * (see {@link #following}) after it had started. Not while it is starting, nor without a replica.
     */
    public boolean replicaRemoved() {
        ReplicaGroup g = group;
        if (g == null || selfId == null) {
            return false;
        }
        GroupView view = g.view();
        return !g.peers().isEmpty() && !names(g, selfId) || view.version() > 0 && !view.member();
    }

    private static boolean names(ReplicaGroup g, String id) {
        return g.peers().stream().anyMatch(p -> p.id().equals(id));
    }

    /** The replica on this node, if any. */
    public Optional<ReplicaGroup> replica() {
        return Optional.ofNullable(group);
    }

    public ClusterMap map() {
        return stateMachine.map();
    }

    /** Told every new map of this node's current replica (on its apply thread; must only hand off). */
    public void onChange(Consumer<ClusterMap> listener) {
        listeners.add(listener);
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
        if (g != null && following()) {
            return g.leaderId().flatMap(members);
        }
        List<String> candidates = new java.util.ArrayList<>(initialMembers);
        moreCandidates.get().stream().filter(id -> !candidates.contains(id)).forEach(candidates::add);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return members.apply(candidates.get(Math.floorMod(guess.getAndIncrement(), candidates.size())));
    }

    /**
     * Proposes an encoded meta command on this node's replica (which should lead); {@link MetaCommand.ReadMap} is a
     * linearizable read instead (no log entry).
     */
    public CompletableFuture<byte[]> propose(byte[] encoded) {
        MetaCommand command;
        try {
            command = MetaCodec.decodeCommand(encoded);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        ReplicaGroup g = group;
        if (g == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no meta replica here"));
        }
        return command instanceof MetaCommand.ReadMap ? g.query(encoded) : g.propose(encoded);
    }
}
