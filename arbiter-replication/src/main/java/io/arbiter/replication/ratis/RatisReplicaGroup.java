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
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReplicaGroup} on Apache Ratis: one {@link RaftServer} (Netty transport) hosting one Raft group of any
 * number of peers. Proposals are batched ({@link Batcher}) into entries of our own framing ({@link EntryCodec}) and
 * submitted to the local leader with {@link RaftServer#submitClientRequestAsync} (no client RPC hop); each entry is
 * applied on the group's apply thread ({@link ApplyLoop}) and the per-command results complete the proposers'
 * futures in-process ({@link InFlightBatches}); followers just apply. Snapshots are captured on the apply thread
 * and written off it ({@link AsyncSnapshotter}); on start the newest snapshot is restored and Ratis replays the log
 * after it. Settings: {@link RatisProperties}.
 *
 * <p>Membership: {@link #changePeers} and {@link #transferLeadership} go to the leader ({@link AdminRequests});
 * {@link GroupViewTracker} publishes members, leader and term to listeners; a replica started with
 * {@link ReplicaGroupConfig#joining()} starts Ratis with an empty configuration, so it never campaigns until a
 * member adds it. Every outstanding proposal is bounded by {@link InFlightBatches#expire} on a 100 ms timer.
 *
 * <p>Threads per group: the Ratis server's own, one apply thread (used only when an entry arrives while a role change
 * or a snapshot capture is being run; entries are otherwise applied on Ratis's updater thread), one snapshot writer,
 * one batcher and one completion thread (which runs the periodic snapshot timer, the 100 ms group tick and the group
 * listeners), plus an admin thread once a membership or leadership request is made. Proposal futures complete on
 * the thread that applied the entry (or failed it); dependent stages must not block.
 */
public final class RatisReplicaGroup implements ReplicaGroup {

  private static final Logger LOG = LoggerFactory.getLogger(RatisReplicaGroup.class);
  private static final long SNAPSHOT_REQUEST_TIMEOUT_MS = 60_000;
  private static final int MIN_QUEUED_COMMANDS = 1 << 16;
  /** How often the group view is re-read and outstanding proposals are checked for expiry. */
  private static final long TICK_MS = 100;

  private enum State { NEW, RUNNING, CLOSED }

  private final ReplicaGroupConfig config;
  private final RaftGroupId groupId;
  private final RaftPeerId selfId;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final ScheduledExecutorService completer;
  private final InFlightBatches inFlight;
  private final StateMachineAdapter adapter;
  private final Batcher batcher;
  private final GroupViewTracker views;
  private final AdminRequests admin;
  private volatile State state = State.NEW;
  private volatile RaftServer server;
  private volatile RaftServer.Division raftDivision;
  private volatile DivisionInfo division;
  /** Where the batcher submits entries; see {@link #start()}. */
  private volatile RaftClientAsynchronousProtocol writer;

  public RatisReplicaGroup(ReplicaGroupConfig config, ReplicatedStateMachine stateMachine) {
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(stateMachine, "stateMachine");
    this.groupId = RaftGroupId.valueOf(config.groupId());
    this.selfId = RaftPeerId.valueOf(config.selfId());
    String name = config.groupId().toString().substring(0, 8) + "-" + config.selfId();
    this.completer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "arbiter-complete-" + name);
      t.setDaemon(true);
      return t;
    });
    // proposal futures complete on the thread that learns the outcome (normally the one applying the entry): a
    // hand-off to another thread per entry cost a futex wake-up and a context switch for nothing, since callers'
    // dependent stages only encode an answer and queue it on a Netty channel
    this.inFlight = new InFlightBatches(UUID.randomUUID().getMostSignificantBits());
    this.views = new GroupViewTracker(config.selfId(), config.joining() ? List.of() : config.peers(), completer);
    this.adapter = new StateMachineAdapter(name, stateMachine, inFlight, this::scheduleRefresh);
    // new peers get as long to answer as Ratis's own staging check gives them (3 x the maximum election timeout)
    this.admin = new AdminRequests(config.selfId(), groupId, clientId, callIds, config.adminTimeout(),
        config.electionTimeoutMax().multipliedBy(3), completer, () -> server, () -> raftDivision, this::refresh);
    // bounded so that a stalled group turns callers away (OVERLOADED) instead of growing without limit
    int queueCapacity =
        Math.max(MIN_QUEUED_COMMANDS, 4 * config.maxOutstandingEntries() * config.maxCommandsPerEntry());
    this.batcher = new Batcher("arbiter-batcher-" + name, config.maxCommandsPerEntry(),
        config.maxOutstandingEntries(), queueCapacity, this::submit);
  }

  @Override
  public synchronized void start() throws IOException {
    if (state != State.NEW) {
      throw new IllegalStateException("already " + state);
    }
    // Joining: an empty initial configuration. Ratis then starts this replica without an election timer (it is not
    // in its own configuration) until the leader's first append carries a configuration that lists it. A stored
    // configuration (restart) takes precedence over this one in either case.
    List<RaftPeer> peers = config.joining() ? List.of() : RaftPeers.toRaft(config.peers());
    try {
      server = RaftServer.newBuilder()
          .setServerId(selfId)
          .setGroup(RaftGroup.valueOf(groupId, peers))
          .setStateMachine(adapter)
          .setProperties(RatisProperties.of(config))
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      server.start();
      raftDivision = server.getDivision(groupId);
      division = raftDivision.getInfo();
      // Submit to the division itself, on the batcher thread, when Ratis's division implements the client protocol
      // (it does in 3.3). The server-level call hands each request to a per-division executor and blocks on it; a
      // leader that removed itself closes that executor while holding the division's lock, and a request waiting
      // for the lock inside the executor then never finishes: the close hangs and so does the batcher.
      writer = raftDivision instanceof RaftClientAsynchronousProtocol direct ? direct : server;
    } catch (IOException | RuntimeException e) {
      state = State.CLOSED;
      closeServer();
      adapter.closeQuietly();
      completer.shutdownNow();
      throw e;
    }
    batcher.start();
    long interval = config.snapshotInterval().toMillis();
    if (interval > 0) {
      completer.scheduleWithFixedDelay(this::periodicSnapshot, interval, interval, TimeUnit.MILLISECONDS);
    }
    state = State.RUNNING;
    completer.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    LOG.info("replica {} of group {} started on {}{}; configuration {}", config.selfId(), config.groupId(),
        config.self().address(), config.joining() ? " in joining mode" : "",
        raftDivision.getRaftConf().getCurrentPeers().stream().map(p -> p.getId().toString()).toList());
  }

  @Override
  public CompletableFuture<byte[]> propose(byte[] command) {
    Objects.requireNonNull(command, "command");
    if (state != State.RUNNING) {
      return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "replica group is " + state));
    }
    if (!division.isAlive() || !division.isLeader()) {
      return CompletableFuture.failedFuture(division.isAlive()
          ? new NotLeaderException(otherLeader())
          : new ReplicationException(Reason.CLOSED, stoppedMessage()));
    }
    if (command.length > Batcher.MAX_ENTRY_BYTES) {
      return CompletableFuture.failedFuture(new ReplicationException(Reason.FAILED,
          "command of " + command.length + " bytes exceeds the limit of " + Batcher.MAX_ENTRY_BYTES));
    }
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    if (!batcher.offer(new Batcher.Proposal(command, future))) {
      return CompletableFuture.failedFuture(state == State.RUNNING
          ? new ReplicationException(Reason.OVERLOADED, "proposal queue is full")
          : new ReplicationException(Reason.CLOSED, "replica group is closed"));
    }
    return future;
  }

  /** Batcher thread: one packed batch becomes one log entry. */
  private void submit(List<Batcher.Proposal> proposals) {
    long batchId = callIds.incrementAndGet();
    InFlightBatches.Batch batch = new InFlightBatches.Batch(batchId,
        proposals.stream().map(Batcher.Proposal::future).toList(), division.getCurrentTerm(), batcher::release);
    inFlight.add(batch);
    if (!awaitLeaderReady()) {
      batch.release.run();
      inFlight.fail(batchId, appended -> new NotLeaderException(otherLeader()));
      return;
    }
    byte[] entry = EntryCodec.encode(inFlight.proposerId(), batchId,
        proposals.stream().map(Batcher.Proposal::command).toList());
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(selfId)
        .setGroupId(groupId)
        .setCallId(batchId)
        .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry)))
        .setType(RaftClientRequest.writeRequestType())
        .build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = writer.submitClientRequestAsync(request);
    } catch (IOException | RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((r, error) -> {
      batch.release.run();
      if (error == null && r.isSuccess()) {
        // normally a no-op: applying the entry already completed the batch; otherwise this replica stopped applying
        // (closing, or removed) after the entry committed: it takes effect, but its result is lost here
        inFlight.fail(batchId, a -> new IndeterminateException(otherLeader(),
            "committed, but this replica stopped before applying it; its result is unknown"));
      } else {
        inFlight.fail(batchId, appended -> ReplyErrors.map(r, error, appended, config.selfId(), this::otherLeader));
      }
    });
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
    return admin.changePeers(members);
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
      completer.execute(this::refresh);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Completion thread. */
  private void refresh() {
    RaftServer.Division d = raftDivision;
    if (d != null && state != State.CLOSED) {
      views.refresh(d, true);
    }
  }

  /** Completion thread, every {@link #TICK_MS}: publish changes, bound outstanding proposals. */
  private void tick() {
    try {
      refresh();
      expireOutstanding();
    } catch (RuntimeException e) {
      LOG.warn("group tick failed", e); // keep the timer alive
    }
  }

  private void expireOutstanding() {
    DivisionInfo d = division;
    int expired = inFlight.expire(isLeaderNow(), d.getCurrentTerm(), config.electionTimeoutMax().toNanos(),
        config.commitTimeout().toNanos(), (batch, leadershipLost) -> {
          if (leadershipLost && !batch.appended) {
            return new NotLeaderException(otherLeader());
          }
          return new IndeterminateException(otherLeader(), leadershipLost
              ? "this replica lost leadership before the entry committed"
              : "the entry did not commit within " + config.commitTimeout().toMillis() + " ms");
        });
    if (expired > 0) {
      LOG.info("failed {} outstanding entries: leadership lost or commit timeout exceeded", expired);
    }
  }

  private String stoppedMessage() {
    GroupView v = views.current();
    boolean removed = v.peers().stream().noneMatch(p -> p.id().equals(config.selfId()));
    return removed ? "this replica was removed from the group"
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
    SnapshotManagementRequest request = SnapshotManagementRequest.newCreate(clientId, selfId, groupId,
        callIds.incrementAndGet(), SNAPSHOT_REQUEST_TIMEOUT_MS, 1);
    server.snapshotManagementAsync(request).whenComplete((reply, error) -> {
      if (error != null) {
        LOG.debug("snapshot request failed", error);
      }
    });
  }

  private void periodicSnapshot() {
    try {
      requestSnapshot();
    } catch (RuntimeException e) {
      LOG.warn("periodic snapshot request failed", e); // keep the timer alive
    }
  }

  /** The index of the newest snapshot Ratis knows of (published), or -1. */
  public long latestSnapshotIndex() {
    return adapter.snapshots().publishedIndex();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    admin.close();
    batcher.close();
    closeServer();
    inFlight.failAll(appended -> appended
        ? new IndeterminateException(null, "closed after the entry was appended")
        : new ReplicationException(Reason.CLOSED, "replica group closed"));
    try {
      completer.execute(views::closed);
    } catch (RejectedExecutionException e) {
      // a failed start already stopped it
    }
    completer.shutdown();
    try {
      completer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("replica {} of group {} closed", config.selfId(), config.groupId());
  }

  private void closeServer() {
    RaftServer s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("closing the Ratis server failed", e);
      }
    }
  }
}
