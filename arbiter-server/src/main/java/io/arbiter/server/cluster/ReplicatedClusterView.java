package io.arbiter.server.cluster;

import io.arbiter.replication.GroupView;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link ClusterView} over this node's replica group: members of the committed Raft configuration (with the
 * endpoints of configured members, and Seata's port convention for members added later), the leader, and the
 * members' reachability from a {@link MemberLiveness}; its version rises on every change of any of them.
 *
 * <p>Threading: thread-safe; updates arrive on the replication layer's listener thread and the prober's thread.
 */
public final class ReplicatedClusterView implements ClusterView {
    private final String group;
    private final ClusterMember self;
    private final ReplicaGroup replicas;
    private final Supplier<List<ReplicaGroup>> allGroups;
    private volatile Function<List<ClusterMember>, CompletableFuture<Void>> afterChange =
            members -> CompletableFuture.completedFuture(null);
    private final Map<String, ClusterMember> known = new ConcurrentHashMap<>();
    private volatile List<ClusterMember> members;
    /** The members the cluster map records (empty until a map that records them is known). */
    private volatile List<ClusterMember> recorded = List.of();

    private volatile Optional<ClusterMember> leader = Optional.empty();
    private volatile long raftTerm;
    private final ChangeVersion version = new ChangeVersion();
    private volatile MemberLiveness liveness = MemberLiveness.ALWAYS_REACHABLE;
    private volatile Function<List<String>, CompletableFuture<Void>> membersChange;
    private volatile java.util.function.Supplier<Optional<ClusterMember>> leaderGuess = Optional::empty;

    public ReplicatedClusterView(
            String group, ClusterMember self, List<ClusterMember> configured, ReplicaGroup replicas) {
        this(group, self, configured, replicas, () -> List.of(replicas));
    }

    /**
     * @param replicas  the group whose members, leader and term this view reports (the cluster's first fragment);
     *                  null on a node that holds no replica
     * @param allGroups every group whose membership follows the cluster's ({@link #changeMembers} changes them all)
     */
    public ReplicatedClusterView(
            String group,
            ClusterMember self,
            List<ClusterMember> configured,
            ReplicaGroup replicas,
            Supplier<List<ReplicaGroup>> allGroups) {
        this.group = group;
        this.self = self;
        this.replicas = replicas;
        this.allGroups = allGroups;
        configured.forEach(m -> known.put(m.id(), m));
        known.put(self.id(), self);
        this.members = List.copyOf(configured);
    }

    /** Starts following the group (the listener is called at once with the current view). */
    public void start() {
        if (replicas != null) {
            replicas.addListener(this::update);
        }
    }

    /**
     * Where the leader comes from while the followed group names none: this node holds no replica to follow (it
     * joined and was given none), or the one it followed was moved away. The members then come from the map
     * ({@link #recordedMembers}), the leader from {@code guess}.
     */
    public void leaderWithoutReplica(java.util.function.Supplier<Optional<ClusterMember>> guess) {
        this.leaderGuess = guess;
    }

    /**
     * The members the cluster map records ({@code ids}; empty for a map that records none): from now on they are
     * this view's members, whatever groups this node holds a replica of.
     */
    public void recordedMembers(List<String> ids) {
        List<ClusterMember> next = ids.stream()
                .map(id -> known.computeIfAbsent(id, ClusterMember::fromId))
                .toList();
        if (!next.equals(recorded)) {
            recorded = next;
            version.bump();
        }
    }

    /** From now on, reachability comes from {@code probe} and its changes count as changes of this view. */
    public void followLiveness(MemberLiveness probe) {
        this.liveness = probe;
        probe.onChange(version::bump);
        version.bump();
    }

    private void update(GroupView view) {
        List<ClusterMember> now = new ArrayList<>();
        for (ReplicaGroupConfig.Peer p : view.peers()) {
            now.add(memberFor(p));
        }
        if (!now.isEmpty()) {
            members = List.copyOf(now);
        }
        leader = view.leaderPeer().map(this::memberFor);
        raftTerm = view.term();
        version.bump();
    }

    private ClusterMember memberFor(ReplicaGroupConfig.Peer p) {
        return known.computeIfAbsent(p.id(), id -> ClusterMember.fromRaftAddress(p.host(), p.port()));
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public ClusterMember self() {
        return self;
    }

    @Override
    public List<ClusterMember> members() {
        List<ClusterMember> fromMap = recorded;
        return fromMap.isEmpty() ? members : fromMap;
    }

    @Override
    public Optional<ClusterMember> leader() {
        Optional<ClusterMember> seen = replicas == null ? Optional.empty() : leader;
        return seen.isPresent() ? seen : leaderGuess.get();
    }

    @Override
    public long raftTerm() {
        return raftTerm;
    }

    @Override
    public boolean reachable(String memberId) {
        return memberId.equals(self.id()) || liveness.reachable(memberId);
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public CompletableFuture<Void> changedSince(long knownVersion) {
        return version.after(knownVersion);
    }

    /**
     * From now on a membership change is {@code change} (given the new members' ids) instead of a change of every
     * group's Raft configuration: with placement, the map records the members and placement moves replicas.
     */
    public void changeMembersWith(Function<List<String>, CompletableFuture<Void>> change) {
        this.membersChange = change;
    }

    @Override
    public CompletableFuture<Void> changeMembers(List<ClusterMember> newMembers) {
        List<ReplicaGroupConfig.Peer> peers = new ArrayList<>();
        for (ClusterMember m : newMembers) {
            ClusterMember registered = known.merge(m.id(), m, (old, fresh) -> old);
            peers.add(new ReplicaGroupConfig.Peer(registered.id(), registered.host(), registered.raftPort()));
        }
        Function<List<String>, CompletableFuture<Void>> change = membersChange;
        if (change != null) {
            return change.apply(newMembers.stream().map(ClusterMember::id).toList());
        }
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (ReplicaGroup g : allGroups.get()) { // one group at a time: each change brings new peers up to date first
            done = done.thenCompose(ignored -> g.changePeers(peers));
        }
        List<ClusterMember> registered =
                newMembers.stream().map(m -> known.get(m.id())).toList();
        return done.thenCompose(ignored -> afterChange.apply(registered));
    }

    /** Runs after every membership change committed through {@link #changeMembers} (e.g. to update the map). */
    public void afterMembershipChange(Function<List<ClusterMember>, CompletableFuture<Void>> action) {
        this.afterChange = action;
    }

    /** A node by id, as this view knows it (configured, or seen in a configuration). */
    public Optional<ClusterMember> member(String id) {
        return Optional.ofNullable(known.get(id));
    }
}
