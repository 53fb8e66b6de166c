package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.ReplicationException;
import io.arbiter.replication.ReplicationException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Ratis {@link RaftServer} (one Raft port, Netty transport) hosting any number of Raft groups, each as a Ratis
 * division with its own {@link RatisReplicaGroup}. The groups share the server's connections and the node's own
 * threads ({@link NodeExecutors}: a scheduler, a small worker pool, an I/O pool); what each group adds is Ratis's
 * per-division threads and buffers (sized for tens of groups in {@link RatisProperties}).
 *
 * <p>Storage: {@code storageDir} is the root; Ratis keeps each group in a subfolder named by the group's UUID. On
 * {@link #start()} every such folder is recovered (snapshot restored, log replayed) and its replica rejoins its
 * group; a folder written by a single-group {@link RatisReplicaGroup} with the same root is recovered the same way.
 *
 * <p>Threading: public methods from any thread. Ratis calls the state-machine registry on its own threads, which
 * create the group objects; groups are attached (their division known, their tick running) on the thread that
 * started the node or on the I/O executor after an add. Groups listeners run on the scheduler.
 */
public final class RatisNode implements AutoCloseable {

    /**
     * Creates the state machine of a group hosted on this node; called for every group found on disk at start and
     * for every group added later.
     */
    @FunctionalInterface
    public interface StateMachineFactory {
        ReplicatedStateMachine create(UUID groupId);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RatisNode.class);
    /** How often every group's view is re-read, outstanding proposals checked for expiry, periodic snapshots due. */
    private static final long TICK_MS = 100;
    /** How long a removal waits for Ratis to drop the group from its table. */
    private static final long GONE_WITHIN_SECONDS = 10;

    private enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    private final ReplicaGroupConfig settings;
    private final StateMachineFactory factory;
    private final RaftPeerId selfId;
    private final NodeExecutors executors;
    private final AdminRpc adminRpc;
    /** Groups running here (attached). */
    private final ConcurrentHashMap<UUID, RatisReplicaGroup> groups = new ConcurrentHashMap<>();
    /** Groups Ratis asked a state machine for, not attached yet. */
    private final ConcurrentHashMap<UUID, RatisReplicaGroup> created = new ConcurrentHashMap<>();
    /** Configurations of groups being added, for the registry. */
    private final ConcurrentHashMap<UUID, ReplicaGroupConfig> adding = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<UUID, CompletableFuture<RatisReplicaGroup>> addsInProgress =
            new ConcurrentHashMap<>();
    private final List<Runnable> groupsListeners = new CopyOnWriteArrayList<>();
    /** The single group of a private node ({@link RatisReplicaGroup}'s public constructor), or {@code null}. */
    private volatile RatisReplicaGroup adopted;

    private volatile State state = State.NEW;
    private volatile RaftServer server;
    private volatile ScheduledFuture<?> tick;

    /**
     * @param nodeSettings this node's id ({@code selfId}), address (its entry in {@code peers}), storage root
     *     ({@code storageDir}) and every tuning value; its group id, {@code joining} and other peers are ignored
     * @param factory creates the state machine of each group hosted here
     */
    public RatisNode(ReplicaGroupConfig nodeSettings, StateMachineFactory factory) {
        this.settings = Objects.requireNonNull(nodeSettings, "nodeSettings");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.selfId = RaftPeerId.valueOf(nodeSettings.selfId());
        this.executors = new NodeExecutors(nodeSettings.selfId());
        this.adminRpc = new AdminRpc(nodeSettings.adminTimeout());
    }

    NodeExecutors executors() {
        return executors;
    }

    AdminRpc adminRpc() {
        return adminRpc;
    }

    /** Makes {@code group} the one this node hosts under its id (before {@link #start()}; private nodes). */
    void adopt(RatisReplicaGroup group) {
        adopted = group;
    }

    /** Starts the server; every group folder under the storage root is recovered and rejoins its group. */
    public synchronized void start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("already " + state);
        }
        try {
            server = RaftServer.newBuilder()
                    .setServerId(selfId)
                    .setStateMachineRegistry(this::stateMachineFor)
                    .setProperties(RatisProperties.of(settings))
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
            for (RaftGroupId gid : server.getGroupIds()) {
                attach(gid);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        state = State.RUNNING;
        tick = executors.scheduler().scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        LOG.info(
                "node {} started on {} with {} groups",
                settings.selfId(),
                settings.self().address(),
                groups.size());
    }

    /** The groups running here. */
    public Set<UUID> groupIds() {
        return Set.copyOf(groups.keySet());
    }

    public Optional<RatisReplicaGroup> group(UUID groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    /**
     * Starts a replica of a group on this node, on new storage (or on the group's folder if one was left by
     * {@code removeGroup(id, false)}). With {@code joining=false}, a new group with these initial peers (every initial
     * peer gets the same list); with {@code joining=true}, an empty configuration: the replica waits until a member
     * adds it with {@link RatisReplicaGroup#changePeers}. If the group already runs here, completes with it.
     */
    public CompletableFuture<RatisReplicaGroup> addGroup(UUID groupId, List<Peer> peers, boolean joining) {
        Objects.requireNonNull(groupId, "groupId");
        if (state != State.RUNNING) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "node is " + state));
        }
        RatisReplicaGroup running = groups.get(groupId);
        if (running != null) {
            return CompletableFuture.completedFuture(running);
        }
        ReplicaGroupConfig config;
        try {
            config = groupConfig(groupId, peers, joining);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(new ReplicationException(
                    Reason.FAILED, "invalid peers for group " + groupId + ": " + e.getMessage(), e));
        }
        if (ratisHolds(RaftGroupId.valueOf(groupId))) {
            // Ratis still holds a division of it (a removal not finished): adding now would fail and leave the new
            // division's storage locked until the process ends
            return CompletableFuture.failedFuture(new ReplicationException(
                    Reason.FAILED,
                    "group " + groupId + " is still being removed on node " + settings.selfId() + "; try again"));
        }
        CompletableFuture<RatisReplicaGroup> result = new CompletableFuture<>();
        CompletableFuture<RatisReplicaGroup> previous = addsInProgress.putIfAbsent(groupId, result);
        if (previous != null) {
            return previous;
        }
        adding.put(groupId, config);
        RaftGroup group =
                RaftGroup.valueOf(RaftGroupId.valueOf(groupId), joining ? List.of() : RaftPeers.toRaft(config.peers()));
        // format=false: recover a folder that is there (a group removed without deleting its data), else create it
        GroupManagementRequest request =
                GroupManagementRequest.newAdd(adminRpc.clientId(), selfId, adminRpc.nextCallId(), group, false);
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = server.groupManagementAsync(request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        long asked = System.nanoTime();
        reply.whenCompleteAsync((r, error) -> finishAdd(groupId, r, error, result, asked), executors.io())
                .exceptionally(e -> {
                    result.completeExceptionally(e);
                    return null;
                });
        return result.whenComplete((g, e) -> {
            addsInProgress.remove(groupId, result);
            adding.remove(groupId);
        });
    }

    /** I/O executor: Ratis answered a group add. */
    private void finishAdd(
            UUID groupId,
            RaftClientReply reply,
            Throwable error,
            CompletableFuture<RatisReplicaGroup> result,
            long askedNanos) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null && !reply.isSuccess()) {
            cause = reply.getException();
        }
        if (cause == null) {
            try {
                result.complete(attach(RaftGroupId.valueOf(groupId)));
                LOG.info(
                        "node {}: added group {} (Ratis took {} ms)",
                        settings.selfId(),
                        groupId,
                        (System.nanoTime() - askedNanos) / 1_000_000);
                fireGroupsChanged();
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
            return;
        }
        RatisReplicaGroup running = groups.get(groupId);
        if (cause instanceof AlreadyExistsException && running != null) {
            result.complete(running);
            return;
        }
        RatisReplicaGroup orphan = created.remove(groupId);
        if (orphan != null) {
            orphan.beginClose();
            orphan.finishClose();
        }
        result.completeExceptionally(new ReplicationException(
                Reason.FAILED,
                "adding group " + groupId + " on node " + settings.selfId() + " failed: " + cause,
                cause));
    }

    /**
     * Stops the local replica (after it was removed from the group with {@code changePeers}, or to discard it) and,
     * if {@code deleteData}, deletes its folder. Completes at once if the group does not run here.
     */
    /** Whether the Ratis server still lists a division of {@code gid}. */
    private boolean ratisHolds(RaftGroupId gid) {
        for (RaftGroupId id : server.getGroupIds()) {
            if (id.equals(gid)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Completes once Ratis no longer lists {@code gid} (its answer to a removal can come before the division is out
     * of its table, and a new replica of the group can only be added after), or at {@code deadline} regardless.
     */
    private CompletableFuture<Void> gone(RaftGroupId gid, long deadline) {
        if (!ratisHolds(gid) || System.nanoTime() - deadline > 0) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.runAsync(
                            () -> {}, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS, executors.io()))
                    .thenCompose(v -> gone(gid, deadline));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    public CompletableFuture<Void> removeGroup(UUID groupId, boolean deleteData) {
        RatisReplicaGroup group = groups.remove(Objects.requireNonNull(groupId, "groupId"));
        if (group == null || !group.beginClose()) {
            return CompletableFuture.completedFuture(null);
        }
        GroupManagementRequest request = GroupManagementRequest.newRemove(
                adminRpc.clientId(), selfId, adminRpc.nextCallId(), RaftGroupId.valueOf(groupId), deleteData, false);
        CompletableFuture<Void> done;
        try {
            // Ratis closes the division on the calling thread and waits for it: not on the caller's nor a Ratis thread
            done = CompletableFuture.supplyAsync(() -> server.groupManagementAsync(request), executors.io())
                    .thenCompose(f -> f)
                    .thenAccept(reply -> {
                        if (!reply.isSuccess()) {
                            throw new CompletionException(reply.getException());
                        }
                    });
        } catch (RejectedExecutionException e) {
            done = CompletableFuture.failedFuture(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GONE_WITHIN_SECONDS);
        return done.thenCompose(v -> gone(RaftGroupId.valueOf(groupId), deadline))
                .whenComplete((v, e) -> {
                    group.finishClose();
                    LOG.info(
                            "node {}: removed group {}{}",
                            settings.selfId(),
                            groupId,
                            deleteData ? " and its data" : "");
                    fireGroupsChanged();
                });
    }

    /**
     * Tells {@code listener} (on the node's scheduler; it must not block) whenever a group is added or removed here or
     * a group's view changes.
     */
    public void addGroupsListener(Runnable listener) {
        groupsListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Ratis's state-machine registry, on Ratis's threads: a new group object for a group Ratis starts. */
    private StateMachine stateMachineFor(RaftGroupId gid) {
        UUID id = gid.getUuid();
        RatisReplicaGroup a = adopted;
        RatisReplicaGroup group;
        if (a != null && a.id().equals(id)) {
            group = a;
        } else {
            ReplicaGroupConfig config = adding.get(id);
            if (config == null) { // recovered from disk: Ratis reads the configuration from the log
                config = groupConfig(id, List.of(), true);
            }
            group = new RatisReplicaGroup(this, config, factory.create(id));
        }
        created.put(id, group);
        return group.adapter();
    }

    private RatisReplicaGroup attach(RaftGroupId gid) throws IOException {
        UUID id = gid.getUuid();
        RatisReplicaGroup group = created.remove(id);
        if (group == null) {
            throw new IllegalStateException("Ratis started group " + id + " without asking for its state machine");
        }
        group.attach(server, server.getDivision(gid));
        groups.put(id, group);
        group.addListener(view -> fireGroupsChanged());
        return group;
    }

    /** A group's configuration: the node's settings with this group's id and peers. */
    private ReplicaGroupConfig groupConfig(UUID groupId, List<Peer> peers, boolean joining) {
        Objects.requireNonNull(peers, "peers");
        List<Peer> list = new ArrayList<>(joining && peers.isEmpty() ? List.of() : Peer.checkMembers(peers));
        if (list.stream().noneMatch(p -> p.id().equals(settings.selfId()))) {
            if (!joining) {
                throw new IllegalArgumentException(
                        "this node (" + settings.selfId() + ") is not one of the peers " + list);
            }
            list.add(settings.self());
        }
        ReplicaGroupConfig s = settings;
        return new ReplicaGroupConfig(
                groupId,
                s.selfId(),
                list,
                s.storageDir(),
                s.fsync(),
                s.snapshotThresholdEntries(),
                s.snapshotInterval(),
                s.maxCommandsPerEntry(),
                s.maxOutstandingEntries(),
                s.electionTimeoutMin(),
                s.electionTimeoutMax(),
                s.logSegmentSizeBytes(),
                s.logSegmentCacheBytes(),
                joining,
                s.commitTimeout(),
                s.adminTimeout());
    }

    /** Scheduler, every {@link #TICK_MS}. */
    private void tick() {
        for (RatisReplicaGroup g : groups.values()) {
            g.tick();
        }
    }

    private void fireGroupsChanged() {
        if (groupsListeners.isEmpty()) {
            return;
        }
        try {
            executors.scheduler().execute(() -> {
                for (Runnable l : groupsListeners) {
                    try {
                        l.run();
                    } catch (RuntimeException e) {
                        LOG.warn("groups listener {} threw", l, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Stops every replica (they stay members of their groups) and the server. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        if (tick != null) {
            tick.cancel(false);
        }
        List<RatisReplicaGroup> closing = new ArrayList<>();
        for (RatisReplicaGroup g : groups.values()) {
            if (g.beginClose()) {
                closing.add(g);
            }
        }
        groups.clear();
        RaftServer s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("closing the Ratis server of node {} failed", settings.selfId(), e);
            }
        }
        closing.forEach(RatisReplicaGroup::finishClose);
        created.values().forEach(g -> {
            g.beginClose();
            g.finishClose();
        });
        created.clear();
        RatisReplicaGroup a = adopted;
        if (a != null && a.beginClose()) {
            a.finishClose(); // a private node whose group never started
        }
        adminRpc.close();
        executors.close();
        LOG.info("node {} closed", settings.selfId());
    }
}
