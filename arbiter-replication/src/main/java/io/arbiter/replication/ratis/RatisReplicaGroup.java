package io.arbiter.replication.ratis;

import io.arbiter.replication.GroupListener;
import io.arbiter.replication.GroupView;
import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.ReplicationException;
import io.arbiter.replication.ReplicationException.Reason;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReplicaGroup} on Apache Ratis: this node's replica (a Ratis division) of one Raft group, hosted by a
 * {@link RatisNode} (one Raft server, Netty transport, for any number of groups). Proposals are batched
 * ({@link Batcher}) into entries of our own framing ({@link EntryCodec}) and submitted to the local leader's division
 * directly (no client RPC hop); each entry is applied through the group's {@link ApplyLoop} and the per-command
 * results complete the proposers' futures in-process ({@link InFlightBatches}); followers just apply. Snapshots are
 * captured on the apply path and written off it ({@link AsyncSnapshotter}); on start the newest snapshot is restored
 * and Ratis replays the log after it. Settings: {@link RatisProperties}.
 *
 * <p>Two ways to get one: {@link RatisNode#addGroup} (or a group the node recovers from its storage), or the public
 * constructor, which keeps the original single-group use: the group gets a private {@link RatisNode} of its own on
 * {@link ReplicaGroupConfig#self()}'s port with {@link ReplicaGroupConfig#storageDir()} as the node's storage root
 * (the same layout: Ratis puts each group in a subfolder named by its id), started by {@link #start()} and closed by
 * {@link #close()}.
 *
 * <p>Membership: {@link #changePeers} and {@link #transferLeadership} go to the leader ({@link AdminRequests});
 * {@link GroupViewTracker} publishes members, leader and term to listeners; a replica started with
 * {@link ReplicaGroupConfig#joining()} starts Ratis with an empty configuration, so it never campaigns until a
 * member adds it. Every outstanding proposal is bounded by {@link InFlightBatches#expire} on the node's 100 ms tick.
 *
 * <p>Threads: none of its own. Besides Ratis's per-division threads, its work runs on the node's shared executors
 * ({@link NodeExecutors}): batcher drains and the apply fall-back on the workers, the tick, periodic snapshots, view
 * refreshes and listeners on the scheduler, snapshot writes and blocking admin calls on the I/O executor. Proposal
 * futures complete on the thread that applied the entry (or failed it); dependent stages must not block.
 */
public final class RatisReplicaGroup implements ReplicaGroup {

    private static final Logger LOG = LoggerFactory.getLogger(RatisReplicaGroup.class);
    private static final long SNAPSHOT_REQUEST_TIMEOUT_MS = 60_000;
    private static final int MIN_QUEUED_COMMANDS = 1 << 16;
    /** How long {@link #close()} waits for the node to remove a hosted replica. */
    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    private final ReplicaGroupConfig config;
    private final RaftGroupId groupId;
    private final RaftPeerId selfId;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final RatisNode node;
    /** Whether {@link #node} is this group's private node (public constructor). */
    private final boolean ownsNode;

    private final ScheduledExecutorService scheduler;
    private final InFlightBatches inFlight;
    private final StateMachineAdapter adapter;
    private final Batcher batcher;
    private final GroupViewTracker views;
    private final AdminRequests admin;
    private volatile State state = State.NEW;
    private volatile RaftServer server;
    private volatile RaftServer.Division raftDivision;
    private volatile DivisionInfo division;
    /** Where the batcher submits entries; see {@link #attach}. */
    private volatile RaftClientAsynchronousProtocol writer;
    /** Scheduler-confined: when the periodic snapshot is next due (nanoTime), or {@code Long.MAX_VALUE}. */
    private long nextSnapshotNanos = Long.MAX_VALUE;
    /** Scheduler thread only: when the next check for a new peer's stalled catch-up is due ({@link #nudgeNewPeers}). */
    private long nextNudgeCheckNanos;
    /** Scheduler thread only: the leader's last log index at the last check that saw a new peer, or -1. */
    private long lastIndexWhileCatchingUp = -1;

    /**
     * A single group on a node of its own (listening on {@code config.self()}'s port, storage root
     * {@code config.storageDir()}); {@link #start()} starts both, {@link #close()} closes both.
     */
    public RatisReplicaGroup(ReplicaGroupConfig config, ReplicatedStateMachine stateMachine) {
        this(
                new RatisNode(config, id -> {
                    throw new IllegalStateException("storage " + config.storageDir() + " holds group " + id
                            + ", not only " + config.groupId() + ": use a RatisNode to host several groups");
                }),
                true,
                config,
                stateMachine);
    }

    /** A replica hosted by {@code node}; the node attaches it once Ratis started its division. */
    RatisReplicaGroup(RatisNode node, ReplicaGroupConfig config, ReplicatedStateMachine stateMachine) {
        this(node, false, config, stateMachine);
    }

    private RatisReplicaGroup(
            RatisNode node, boolean ownsNode, ReplicaGroupConfig config, ReplicatedStateMachine stateMachine) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(stateMachine, "stateMachine");
        this.node = node;
        this.ownsNode = ownsNode;
        this.groupId = RaftGroupId.valueOf(config.groupId());
        this.selfId = RaftPeerId.valueOf(config.selfId());
        NodeExecutors executors = node.executors();
        this.scheduler = executors.scheduler();
        // proposal futures complete on the thread that learns the outcome (normally the one applying the entry): a
        // hand-off to another thread per entry cost a futex wake-up and a context switch for nothing, since callers'
        // dependent stages only encode an answer and queue it on a Netty channel
        this.inFlight = new InFlightBatches(UUID.randomUUID().getMostSignificantBits());
        this.views = new GroupViewTracker(config.selfId(), config.joining() ? List.of() : config.peers(), scheduler);
        this.adapter = new StateMachineAdapter(executors, stateMachine, inFlight, this::scheduleRefresh);
        // new peers get as long to answer as Ratis's own staging check gives them (3 x the maximum election timeout)
        this.admin = new AdminRequests(
                config.selfId(),
                groupId,
                node.adminRpc(),
                config.adminTimeout(),
                config.electionTimeoutMax().multipliedBy(3),
                scheduler,
                executors.io(),
                () -> server,
                () -> raftDivision,
                this::refresh);
        // bounded so that a stalled group turns callers away (OVERLOADED) instead of growing without limit
        int queueCapacity =
                Math.max(MIN_QUEUED_COMMANDS, 4 * config.maxOutstandingEntries() * config.maxCommandsPerEntry());
        this.batcher = new Batcher(
                config.maxCommandsPerEntry(),
                config.maxOutstandingEntries(),
                queueCapacity,
                executors.workers(),
                this::submit);
        if (ownsNode) {
            node.adopt(this);
        }
    }

    UUID id() {
        return config.groupId();
    }

    ReplicaGroupConfig config() {
        return config;
    }

    /** The Ratis state machine of this replica, handed to Ratis by the node's registry. */
    StateMachineAdapter adapter() {
        return adapter;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only for a group made with the public constructor (it starts the group's private node); a group of a
     * {@link RatisNode} is started by the node.
     */
    @Override
    public synchronized void start() throws IOException {
        if (state != State.NEW || !ownsNode) {
            throw new IllegalStateException(ownsNode ? "already " + state : "started by its RatisNode");
        }
        try {
            node.start(); // recovers this group if its storage exists
            if (state == State.NEW) {
                node.addGroup(config.groupId(), config.peers(), config.joining())
                        .get(config.adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            node.close();
            state = State.CLOSED;
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw cause instanceof IOException io
                    ? io
                    : new IOException("starting group " + config.groupId() + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.close();
            state = State.CLOSED;
            throw new IOException("interrupted while starting", e);
        }
    }

    /** Called by the node once Ratis has started this replica's division. */
    void attach(RaftServer raftServer, RaftServer.Division d) {
        server = raftServer;
        raftDivision = d;
        division = d.getInfo();
        // Submit to the division itself, on the batcher's drain, when Ratis's division implements the client protocol
        // (it does in 3.3). The server-level call hands each request to a per-division executor and blocks on it; a
        // leader that removed itself closes that executor while holding the division's lock, and a request waiting
        // for the lock inside the executor then never finishes: the close hangs and so does the drain.
        writer = d instanceof RaftClientAsynchronousProtocol direct ? direct : raftServer;
        long interval = config.snapshotInterval().toMillis();
        if (interval > 0) {
            long first = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(interval);
            scheduler.execute(() -> nextSnapshotNanos = first);
        }
        state = State.RUNNING;
        scheduleRefresh();
        LOG.info(
                "replica {} of group {} started on {}{}; configuration {}",
                config.selfId(),
                config.groupId(),
                config.self().address(),
                config.joining() ? " in joining mode" : "",
                d.getRaftConf().getCurrentPeers().stream()
                        .map(p -> p.getId().toString())
                        .toList());
    }

    boolean isRunning() {
        return state == State.RUNNING;
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        Objects.requireNonNull(command, "command");
        if (state != State.RUNNING) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "replica group is " + state));
        }
        if (!division.isAlive() || !division.isLeader()) {
            return CompletableFuture.failedFuture(
                    division.isAlive()
                            ? new NotLeaderException(otherLeader())
                            : new ReplicationException(Reason.CLOSED, stoppedMessage()));
        }
        if (command.length > Batcher.MAX_ENTRY_BYTES) {
            return CompletableFuture.failedFuture(new ReplicationException(
                    Reason.FAILED,
                    "command of " + command.length + " bytes exceeds the limit of " + Batcher.MAX_ENTRY_BYTES));
        }
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        if (!batcher.offer(new Batcher.Proposal(command, future))) {
            return CompletableFuture.failedFuture(
                    state == State.RUNNING
                            ? new ReplicationException(Reason.OVERLOADED, "proposal queue is full")
                            : new ReplicationException(Reason.CLOSED, "replica group is closed"));
        }
        return future;
    }

    /**
     * {@inheritDoc}
     *
     * <p>On Ratis: a read-only request to this division (the server reads linearizably: leader lease, else a read
     * index confirmed by a majority; see {@link RatisProperties}), answered by the state machine's query on the apply
     * thread.
     */
    @Override
    public CompletableFuture<byte[]> query(byte[] request) {
        Objects.requireNonNull(request, "request");
        if (state != State.RUNNING) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "replica group is " + state));
        }
        if (!isLeader()) {
            return CompletableFuture.failedFuture(
                    division.isAlive()
                            ? new NotLeaderException(otherLeader())
                            : new ReplicationException(Reason.CLOSED, stoppedMessage()));
        }
        CompletableFuture<RaftClientReply> reply =
                submitToDivision(callIds.incrementAndGet(), request, RaftClientRequest.readRequestType());
        return reply.handle((r, error) -> {
            if (error == null && r.isSuccess()) {
                return r.getMessage().getContent().toByteArray();
            }
            throw new CompletionException(ReplyErrors.map(r, error, false, config.selfId(), this::otherLeader));
        });
    }

    /** Batcher thread: one packed batch becomes one log entry. */
    private void submit(List<Batcher.Proposal> proposals) {
        long batchId = callIds.incrementAndGet();
        InFlightBatches.Batch batch = new InFlightBatches.Batch(
                batchId,
                proposals.stream().map(Batcher.Proposal::future).toList(),
                division.getCurrentTerm(),
                batcher::release);
        inFlight.add(batch);
        if (!awaitLeaderReady()) {
            batch.release.run();
            inFlight.fail(batchId, appended -> new NotLeaderException(otherLeader()));
            return;
        }
        byte[] entry = EntryCodec.encode(
                inFlight.proposerId(),
                batchId,
                proposals.stream().map(Batcher.Proposal::command).toList());
        CompletableFuture<RaftClientReply> reply =
                submitToDivision(batchId, entry, RaftClientRequest.writeRequestType());
        reply.whenComplete((r, error) -> {
            batch.release.run();
            if (error == null && r.isSuccess()) {
                // normally a no-op: applying the entry already completed the batch; otherwise this replica stopped
                // applying
                // (closing, or removed) after the entry committed: it takes effect, but its result is lost here
                inFlight.fail(
                        batchId,
                        a -> new IndeterminateException(
                                otherLeader(),
                                "committed, but this replica stopped before applying it; its result is unknown"));
            } else {
                inFlight.fail(
                        batchId, appended -> ReplyErrors.map(r, error, appended, config.selfId(), this::otherLeader));
            }
        });
    }

    /** Hands {@code body} to this division as a client request of {@code type} (read or write) from this replica. */
    private CompletableFuture<RaftClientReply> submitToDivision(long callId, byte[] body, RaftClientRequest.Type type) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(selfId)
                .setGroupId(groupId)
                .setCallId(callId)
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(body)))
                .setType(type)
                .build();
        try {
            return writer.submitClientRequestAsync(request);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A newly elected leader accepts writes once its first entry commits, within milliseconds. */
    private boolean awaitLeaderReady() {
        long deadline = System.nanoTime() + config.electionTimeoutMax().toNanos();
        while (isLeaderNow() && !division.isLeaderReady() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return isLeaderNow();
    }

    @Override
    public boolean stoppedByReplication() {
        DivisionInfo d = division;
        return state == State.RUNNING && d != null && !d.isAlive();
    }

    @Override
    public boolean joinedItsGroup() {
        return views.joined();
    }

    @Override
    public boolean isLeader() {
        DivisionInfo d = division;
        return state == State.RUNNING && d.isAlive() && d.isLeader() && d.isLeaderReady();
    }

    /** Ratis keeps the last role of a division it shut down (e.g. a removed leader): check it is alive too. */
    private boolean isLeaderNow() {
        return division.isAlive() && division.isLeader();
    }

    @Override
    public Optional<String> leaderId() {
        DivisionInfo d = division;
        if (d == null || !d.isAlive()) {
            return Optional.empty();
        }
        return Optional.ofNullable(d.getLeaderId()).map(RaftPeerId::toString);
    }

    @Override
    public long term() {
        DivisionInfo d = division;
        return d == null ? 0 : d.getCurrentTerm();
    }

    @Override
    public List<Peer> peers() {
        return views.current().peers();
    }

    @Override
    public GroupView view() {
        return views.current();
    }

    @Override
    public void addListener(GroupListener listener) {
        views.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(GroupListener listener) {
        views.removeListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>On Ratis: a {@code setConfiguration} request (mode "set unconditionally") to the leader, in-process or over
     * the replication port; see {@link AdminRequests}.
     */
    @Override
    public CompletableFuture<Void> changePeers(List<Peer> newPeers) {
        return changePeers(null, newPeers);
    }

    @Override
    public CompletableFuture<Void> changePeers(List<Peer> expected, List<Peer> newPeers) {
        List<Peer> members;
        try {
            members = Peer.checkMembers(newPeers);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(
                    new ReplicationException(Reason.FAILED, "invalid peer list: " + e.getMessage(), e));
        }
        if (state != State.RUNNING) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "replica group is " + state));
        }
        return admin.changePeers(expected, members);
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        if (state != State.RUNNING) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "replica group is " + state));
        }
        return admin.transferLeadership(peerId);
    }

    /** Any thread: re-read the group view soon (Ratis events). */
    private void scheduleRefresh() {
        try {
            scheduler.execute(this::refresh);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Scheduler thread. */
    private void refresh() {
        RaftServer.Division d = raftDivision;
        if (d != null && state == State.RUNNING) {
            views.refresh(d, true);
        }
    }

    /** Scheduler thread, every node tick (100 ms): publish changes, bound outstanding proposals, periodic snapshot. */
    void tick() {
        if (state != State.RUNNING) {
            return;
        }
        // each step on its own: a view refresh that throws (a listener, or a division Ratis shut down) must not keep
        // outstanding proposals from their bound
        tickStep("view refresh", this::refresh);
        tickStep("proposal expiry", this::expireOutstanding);
        tickStep("new peer catch-up", this::nudgeNewPeers);
        if (System.nanoTime() - nextSnapshotNanos >= 0) {
            nextSnapshotNanos = System.nanoTime() + config.snapshotInterval().toNanos();
            tickStep("snapshot request", this::requestSnapshot);
        }
    }

    private void tickStep(String step, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("{} of group {} failed", step, config.groupId(), e); // keep the timer alive
        }
    }

    /**
     * Scheduler thread, at most once a second: while this leader catches a new peer up (a membership change adding
     * it waits for that) and its log has not grown for a whole check, appends an entry without commands. Ratis counts
     * a new peer as caught up only once an append to it succeeds: a peer that already holds the whole log — it got it
     * during an earlier attempt of the same add that failed — answers the first append of a new attempt "inconsistent,
     * next index = the end of the log", and from then on an idle group sends it heartbeats only, which do not move
     * its match index, so the change waits for ever (a full run saw it on the lock-only fragment, whose log hardly
     * grows). One more entry, appended to it like any other, ends that. Costs an empty entry now and then during an
     * add, none otherwise.
     */
    private void nudgeNewPeers() {
        long now = System.nanoTime();
        if (now - nextNudgeCheckNanos < 0) {
            return;
        }
        nextNudgeCheckNanos = now + TimeUnit.SECONDS.toNanos(1);
        RaftServer.Division d = raftDivision;
        if (d == null || !isLeaderNow() || !division.isLeaderReady() || !catchingUpNewPeer(d)) {
            lastIndexWhileCatchingUp = -1;
            return;
        }
        var lastEntry = d.getRaftLog().getLastEntryTermIndex();
        long last = lastEntry == null ? -1 : lastEntry.getIndex();
        if (last != lastIndexWhileCatchingUp) {
            lastIndexWhileCatchingUp = last;
            return;
        }
        lastIndexWhileCatchingUp = -1;
        LOG.info(
                "replica {} of group {}: a new peer is being caught up and the log did not grow for a second;"
                        + " appending an empty entry",
                selfId,
                config.groupId());
        long id = callIds.incrementAndGet(); // a batch id no batch waits for: applying it completes nothing
        submitToDivision(
                id, EntryCodec.encode(inFlight.proposerId(), id, List.of()), RaftClientRequest.writeRequestType());
    }

    /** Whether this leader sends to a peer outside its configuration: a new peer a change waits to catch up. */
    private static boolean catchingUpNewPeer(RaftServer.Division d) {
        var conf = d.getRaftConf();
        return d.getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
                .map(f -> f.getId().getId().toStringUtf8())
                .anyMatch(id -> !RaftPeers.containsId(conf.getCurrentPeers(), id)
                        && !RaftPeers.containsId(conf.getPreviousPeers(), id));
    }

    private void expireOutstanding() {
        DivisionInfo d = division;
        int expired = inFlight.expire(
                isLeaderNow(),
                d.getCurrentTerm(),
                config.electionTimeoutMax().toNanos(),
                config.commitTimeout().toNanos(),
                (batch, leadershipLost) -> {
                    if (leadershipLost && !batch.appended) {
                        return new NotLeaderException(otherLeader());
                    }
                    return new IndeterminateException(
                            otherLeader(),
                            leadershipLost
                                    ? "this replica lost leadership before the entry committed"
                                    : "the entry did not commit within "
                                            + config.commitTimeout().toMillis() + " ms");
                });
        if (expired > 0) {
            LOG.info("failed {} outstanding entries: leadership lost or commit timeout exceeded", expired);
        }
    }

    private String stoppedMessage() {
        GroupView v = views.current();
        boolean removed = v.peers().stream().noneMatch(p -> p.id().equals(config.selfId()));
        return removed
                ? "this replica was removed from the group"
                : "the Ratis server of this replica stopped (see its log)";
    }

    /** The leader if it is another replica, else {@code null} (for hints). */
    private String otherLeader() {
        RaftPeerId leader = division.isAlive() ? division.getLeaderId() : null;
        return leader == null || leader.equals(selfId) ? null : leader.toString();
    }

    /**
     * Asks for a snapshot now, as the periodic timer does: if anything was applied since the last one, a snapshot is
     * captured and written in the background. Returns at once.
     */
    public void requestSnapshot() {
        if (state != State.RUNNING || adapter.snapshots().isWriting()) {
            return;
        }
        adapter.snapshots().request();
        SnapshotManagementRequest request = SnapshotManagementRequest.newCreate(
                clientId, selfId, groupId, callIds.incrementAndGet(), SNAPSHOT_REQUEST_TIMEOUT_MS, 1);
        server.snapshotManagementAsync(request).whenComplete((reply, error) -> {
            if (error != null) {
                LOG.debug("snapshot request failed", error);
            }
        });
    }

    /** The index of the newest snapshot Ratis knows of (published), or -1. */
    public long latestSnapshotIndex() {
        return adapter.snapshots().publishedIndex();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A group of a {@link RatisNode} is removed from the node, its storage kept (a restart of the node recovers
     * it); a group made with the public constructor closes its private node.
     */
    @Override
    public void close() {
        if (ownsNode) {
            node.close(); // closes this group through beginClose/finishClose
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        try {
            node.removeGroup(config.groupId(), false).get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("closing replica {} of group {} failed", config.selfId(), config.groupId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** First step of closing (node): refuse new work, stop the batcher. {@code false} if already closed. */
    synchronized boolean beginClose() {
        if (state == State.CLOSED) {
            return false;
        }
        state = State.CLOSED;
        admin.close();
        batcher.close();
        return true;
    }

    /** Last step of closing (node), after Ratis stopped the division (or never started it): fail what is left. */
    void finishClose() {
        inFlight.failAll(appended -> appended
                ? new IndeterminateException(null, "closed after the entry was appended")
                : new ReplicationException(Reason.CLOSED, "replica group closed"));
        if (division == null) {
            adapter.closeQuietly(); // Ratis never started it, so it will not close the adapter
        }
        try {
            scheduler.execute(views::closed);
        } catch (RejectedExecutionException e) {
            views.closed();
        }
        LOG.info("replica {} of group {} closed", config.selfId(), config.groupId());
    }
}
