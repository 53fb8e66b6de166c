package io.arbiter.replication.ratis;

import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
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
 * <p>Threads per group: the Ratis server's own, one apply thread, one snapshot writer, one batcher and one
 * completion thread (which also runs the periodic snapshot timer). Proposal futures complete on the completion
 * thread.
 */
public final class RatisReplicaGroup implements ReplicaGroup {

  private static final Logger LOG = LoggerFactory.getLogger(RatisReplicaGroup.class);
  private static final long SNAPSHOT_REQUEST_TIMEOUT_MS = 60_000;
  private static final int MIN_QUEUED_COMMANDS = 1 << 16;

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
  private volatile State state = State.NEW;
  private volatile RaftServer server;
  private volatile DivisionInfo division;

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
    this.inFlight = new InFlightBatches(UUID.randomUUID().getMostSignificantBits(), completer);
    this.adapter = new StateMachineAdapter(name, stateMachine, inFlight);
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
    List<RaftPeer> peers = config.peers().stream()
        .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build())
        .toList();
    try {
      server = RaftServer.newBuilder()
          .setServerId(selfId)
          .setGroup(RaftGroup.valueOf(groupId, peers))
          .setStateMachine(adapter)
          .setProperties(RatisProperties.of(config))
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      server.start();
      division = server.getDivision(groupId).getInfo();
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
    LOG.info("replica {} of group {} started on {} with peers {}", config.selfId(), config.groupId(),
        config.self().address(), config.peers().stream().map(ReplicaGroupConfig.Peer::id).toList());
  }

  @Override
  public CompletableFuture<byte[]> propose(byte[] command) {
    Objects.requireNonNull(command, "command");
    if (state != State.RUNNING) {
      return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "replica group is " + state));
    }
    if (!division.isLeader()) {
      return CompletableFuture.failedFuture(division.isAlive()
          ? new NotLeaderException(otherLeader())
          : new ReplicationException(Reason.CLOSED, "the Ratis server of this replica stopped (see its log)"));
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
    inFlight.add(new InFlightBatches.Batch(batchId, proposals.stream().map(Batcher.Proposal::future).toList()));
    if (!awaitLeaderReady()) {
      batcher.release();
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
      reply = server.submitClientRequestAsync(request);
    } catch (IOException | RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((r, error) -> {
      batcher.release();
      if (error == null && r.isSuccess()) {
        // normally a no-op: applying the entry already completed the batch
        inFlight.fail(batchId, a -> new ReplicationException(Reason.FAILED, "committed but not applied locally"));
      } else {
        inFlight.fail(batchId, appended -> ReplyErrors.map(r, error, appended, config.selfId(), this::otherLeader));
      }
    });
  }

  /** A newly elected leader accepts writes once its first entry commits, within milliseconds. */
  private boolean awaitLeaderReady() {
    long deadline = System.nanoTime() + config.electionTimeoutMax().toNanos();
    while (division.isLeader() && !division.isLeaderReady() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return division.isLeader();
  }

  @Override
  public boolean isLeader() {
    DivisionInfo d = division;
    return state == State.RUNNING && d.isLeader() && d.isLeaderReady();
  }

  @Override
  public Optional<String> leaderId() {
    DivisionInfo d = division;
    if (d == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(d.getLeaderId()).map(RaftPeerId::toString);
  }

  /** The leader if it is another replica, else {@code null} (for hints). */
  private String otherLeader() {
    RaftPeerId leader = division.getLeaderId();
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
    batcher.close();
    closeServer();
    inFlight.failAll(appended -> appended
        ? new IndeterminateException(null, "closed after the entry was appended")
        : new ReplicationException(Reason.CLOSED, "replica group closed"));
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
