package io.arbiter.replication.ratis;

import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicationException;
import io.arbiter.replication.ReplicationException.Reason;
import io.arbiter.replication.UnreachablePeerException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.protocol.exceptions.ReconfigurationTimeoutException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.SetConfigurationException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.protocol.exceptions.TransferLeadershipException;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership changes and leadership transfers, callable on any replica. Each request goes to the leader this replica
 * knows of: in-process when that is this replica ({@link RaftServer#setConfigurationAsync}), otherwise over Ratis's
 * client RPC (Netty) to the leader's replication port. While there is no leader, or the leader moved, is not ready,
 * is stepping down or is busy with another reconfiguration, the request is sent again (every 200 ms) until the
 * deadline; a rejection or the deadline ends it. Setting a configuration that is already in place succeeds at once
 * (Ratis compares), so repeating a request is harmless.
 *
 * <p>Before a change that adds peers, each new peer's replication port must accept a TCP connection (retried for
 * {@code probeTimeout}). Ratis would detect a silent new peer itself, but only when its leader is idle: its staging
 * check runs only when no other leader event is queued, so under steady load a change to an unreachable peer would
 * hang and block every later reconfiguration until the load stops or leadership moves.
 *
 * <p>Threading: decisions and retries run on the node's scheduler; sends to another replica, in-process submissions
 * and probes run on the node's I/O executor, because opening a Ratis client connection and Ratis's server-level admin
 * calls block.
 */
final class AdminRequests implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRequests.class);
    private static final long RETRY_DELAY_MS = 200;
    /** A step-down may wait for the leader's senders to stop; Ratis itself gives that 5 s. */
    private static final long STEP_DOWN_TIMEOUT_MS = 10_000;
    /** How often an operation that keeps being retried says why. */
    private static final Duration RETRY_LOG_INTERVAL = Duration.ofSeconds(5);

    /** Builds the request for one attempt, addressed to {@code target}. */
    private interface RequestFactory {
        RaftClientRequest create(RaftPeerId target, long callId, long remainingMs);
    }

    /** Submits a request in-process, when this replica leads. */
    private interface LocalSubmit {
        CompletableFuture<RaftClientReply> submit(RaftServer server, RaftClientRequest request) throws IOException;
    }

    /** One admin request in progress. */
    private final class Operation {
        final String what;
        final long deadline;
        final RequestFactory factory;
        final LocalSubmit local;
        final CompletableFuture<Void> result = new CompletableFuture<>();
        volatile Throwable lastRetryCause;
        /**
         * The leader that may hold a change in progress as far as this operation knows: the one its last attempt went
         * to while the answer is awaited, or that answered "reconfiguration in progress"; null after any other answer.
         */
        volatile RaftPeerId holder;
        /** When a retry is next worth a log line (retries are otherwise silent until the deadline). */
        volatile long nextRetryLog = System.nanoTime() + RETRY_LOG_INTERVAL.toNanos();

        Operation(String what, RequestFactory factory, LocalSubmit local) {
            this.what = what;
            this.deadline = System.nanoTime() + timeout.toNanos();
            this.factory = factory;
            this.local = local;
        }
    }

    private final String selfId;
    private final RaftPeerId self;
    private final RaftGroupId groupId;
    private final AdminRpc rpc;
    private final Duration timeout;
    private final Duration probeTimeout;
    private final ScheduledExecutorService scheduler;
    private final Executor io;
    private final Supplier<RaftServer> server;
    private final Supplier<RaftServer.Division> division;
    private final Runnable afterSuccess;
    private volatile boolean closed;

    /**
     * @param rpc the node's client for requests to other nodes (also the source of client and call ids)
     * @param io the node's executor for blocking work
     * @param afterSuccess run on the scheduler before a successful result completes (refreshes the group view)
     */
    AdminRequests(
            String selfId,
            RaftGroupId groupId,
            AdminRpc rpc,
            Duration timeout,
            Duration probeTimeout,
            ScheduledExecutorService scheduler,
            Executor io,
            Supplier<RaftServer> server,
            Supplier<RaftServer.Division> division,
            Runnable afterSuccess) {
        this.selfId = selfId;
        this.self = RaftPeerId.valueOf(selfId);
        this.groupId = groupId;
        this.rpc = rpc;
        this.timeout = timeout;
        this.probeTimeout = probeTimeout;
        this.scheduler = scheduler;
        this.io = io;
        this.server = server;
        this.division = division;
        this.afterSuccess = afterSuccess;
    }

    /**
     * @param expected the configuration {@code newPeers} was computed from (the leader refuses the change when its
     *     configuration differs: Ratis's compare-and-set), or null to set it unconditionally
     */
    CompletableFuture<Void> changePeers(List<Peer> expected, List<Peer> newPeers) {
        SetConfigurationRequest.Arguments.Builder builder =
                SetConfigurationRequest.Arguments.newBuilder().setServersInNewConf(RaftPeers.toRaft(newPeers));
        if (expected == null) {
            builder.setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY);
        } else {
            builder.setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                    .setServersInCurrentConf(RaftPeers.toRaft(expected));
        }
        SetConfigurationRequest.Arguments arguments = builder.build();
        String what = "change of peers to " + newPeers.stream().map(Peer::id).toList();
        Operation op = new Operation(
                what,
                (target, callId, remainingMs) ->
                        new SetConfigurationRequest(rpc.clientId(), target, groupId, callId, arguments),
                (s, request) -> s.setConfigurationAsync((SetConfigurationRequest) request));
        if (!isMember()) {
            return notMember(op);
        }
        op.result.whenComplete((done, error) -> {
            if (error != null) {
                abandoned(op);
            }
        });
        List<Peer> added;
        try {
            List<RaftPeer> current = List.copyOf(division.get().getRaftConf().getAllPeers());
            added = newPeers.stream()
                    .filter(p -> !RaftPeers.containsId(current, p.id()))
                    .toList();
        } catch (RuntimeException e) {
            op.result.completeExceptionally(closedException());
            return op.result;
        }
        if (added.isEmpty()) {
            return start(op);
        }
        LOG.info("replica {}: {}: checking that {} accept connections", selfId, what, added);
        try {
            CompletableFuture.runAsync(() -> probe(added), sender()).whenComplete((v, error) -> {
                if (error == null) {
                    start(op);
                } else {
                    Throwable cause = unwrap(error);
                    op.result.completeExceptionally(
                            cause instanceof ReplicationException r
                                    ? r
                                    : new ReplicationException(Reason.FAILED, what + " failed: " + cause, cause));
                }
            });
        } catch (RejectedExecutionException e) {
            op.result.completeExceptionally(closedException());
        }
        return op.result;
    }

    /** I/O executor: every peer's port accepts a connection within {@link #probeTimeout}, or {@link UnreachablePeerException}. */
    private void probe(List<Peer> peers) {
        long deadline = System.nanoTime() + probeTimeout.toNanos();
        for (Peer p : peers) {
            while (true) {
                try (Socket socket = new Socket()) {
                    socket.connect(
                            new InetSocketAddress(p.host(), p.port()), (int) Math.max(100, probeTimeout.toMillis()));
                    break;
                } catch (IOException e) {
                    if (closed || System.nanoTime() - deadline > 0) {
                        throw new UnreachablePeerException(
                                p.id(),
                                "new peer " + p.id() + " did not respond at " + p.address() + " within "
                                        + probeTimeout.toMillis()
                                        + " ms (is it started in joining mode and reachable?): " + e,
                                e);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS));
                }
            }
        }
    }

    CompletableFuture<Void> transferLeadership(String peerId) {
        RaftPeerId newLeader = RaftPeerId.valueOf(peerId);
        Operation op = new Operation(
                "transfer of leadership to " + peerId,
                (target, callId, remainingMs) -> new TransferLeadershipRequest(
                        rpc.clientId(), target, groupId, callId, newLeader, Math.min(remainingMs, transferWindowMs())),
                (s, request) -> s.transferLeadershipAsync((TransferLeadershipRequest) request));
        return isMember() ? start(op) : notMember(op);
    }

    /**
     * How long the leader may spend on one transfer: Ratis refuses every write while a transfer is pending, and a
     * transferee that is healthy wins within one election timeout, so a transfer that is not done by then (the
     * transferee did not answer, or lags) fails instead of stalling the group for the whole admin timeout.
     */
    private long transferWindowMs() {
        return Math.max(1, probeTimeout.toMillis() / 3);
    }

    /** A joining or removed replica knows no leader to forward to: refuse at once rather than at the deadline. */
    private CompletableFuture<Void> notMember(Operation op) {
        op.result.completeExceptionally(new ReplicationException(
                Reason.FAILED,
                op.what + " refused: replica " + selfId
                        + " is not a member of the group (joining, or removed); ask a member"));
        return op.result;
    }

    private CompletableFuture<Void> start(Operation op) {
        LOG.info("replica {}: starting {}", selfId, op.what);
        try {
            scheduler.execute(() -> attempt(op));
        } catch (RejectedExecutionException e) {
            op.result.completeExceptionally(closedException());
        }
        return op.result;
    }

    /** Whether this replica is in its newest configuration (a joining replica knows no leader to forward to). */
    private boolean isMember() {
        try {
            var conf = division.get().getRaftConf();
            return RaftPeers.containsId(conf.getCurrentPeers(), selfId)
                    || RaftPeers.containsId(conf.getPreviousPeers(), selfId);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Scheduler thread: one attempt, addressed to the leader known now. */
    private void attempt(Operation op) {
        if (op.result.isDone()) {
            return;
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(op.deadline - System.nanoTime());
        if (closed || !division.get().getInfo().isAlive()) {
            op.result.completeExceptionally(closedException());
            return;
        }
        if (remainingMs <= 0) {
            op.result.completeExceptionally(deadlineExceeded(op));
            return;
        }
        RaftPeerId leader = division.get().getInfo().getLeaderId();
        if (leader == null) {
            op.lastRetryCause = new IOException("no leader known");
            retryLater(op);
            return;
        }
        RaftClientRequest request = op.factory.create(leader, rpc.nextCallId(), remainingMs);
        op.holder = leader;
        CompletableFuture<RaftClientReply> reply = submit(op.local, leader, request);
        reply.orTimeout(remainingMs, TimeUnit.MILLISECONDS)
                .whenCompleteAsync((r, error) -> onReply(op, leader, r, error), scheduler);
    }

    /** Sends {@code request} to {@code target}: in-process when that is this replica, else over the network. */
    private CompletableFuture<RaftClientReply> submit(LocalSubmit local, RaftPeerId target, RaftClientRequest request) {
        return target.equals(self) ? local(local, request) : forward(target, request);
    }

    /**
     * A membership change that failed while its last attempt was unanswered, or answered "reconfiguration in
     * progress": the leader's Ratis may still hold a change (this one, or one it kept this one out with) in staging,
     * catching new peers up, where it refuses every later change and every leadership transfer for as long as that
     * lasts. Ratis counts a new peer that answers as making progress, whatever it answers, so that can be for good:
     * full runs saw it (a new peer that already held an idle group's log, now also handled by
     * {@code RatisReplicaGroup#nudgeNewPeers}), and a new peer with a term above its leader's refuses everything
     * while Ratis ignores the higher term of a peer it is still catching up. A leader's configuration is not touched
     * before its new peers are caught up,
     * so that leader is asked to step down (Ratis does not refuse that while a change is in progress): the change is
     * dropped with its leader state, and the group elects a leader among its unchanged members — possibly the same
     * replica, without the change. Costs the group one election, only after a change that failed.
     */
    private void abandoned(Operation op) {
        RaftPeerId target = op.holder;
        if (target == null || closed) {
            return;
        }
        LOG.warn(
                "replica {}: {} failed while leader {} may still hold a change in progress; asking it to step down so"
                        + " that it does not refuse every later change",
                selfId,
                op.what,
                target);
        RaftClientRequest stepDown = new TransferLeadershipRequest(
                rpc.clientId(), target, groupId, rpc.nextCallId(), null, STEP_DOWN_TIMEOUT_MS);
        try {
            scheduler.execute(() -> submit(
                            (s, request) -> s.transferLeadershipAsync((TransferLeadershipRequest) request),
                            target,
                            stepDown)
                    .orTimeout(2 * STEP_DOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .whenComplete((reply, error) -> {
                        Throwable cause =
                                error != null ? unwrap(error) : reply.isSuccess() ? null : reply.getException();
                        LOG.info(
                                "replica {}: step-down of {} after the given-up change {}",
                                selfId,
                                target,
                                cause == null ? "done" : "failed: " + cause);
                    }));
        } catch (RejectedExecutionException e) {
            // closing: nothing to clean up any more
        }
    }

    /**
     * Submits in-process, on the I/O executor: Ratis's server-level admin calls block until the division's lock is
     * free, which must not stall the scheduler (it completes proposals).
     */
    private CompletableFuture<RaftClientReply> local(LocalSubmit local, RaftClientRequest request) {
        try {
            return CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return local.submit(server.get(), request);
                                } catch (IOException e) {
                                    throw new CompletionException(e);
                                }
                            },
                            sender())
                    .thenCompose(f -> f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sends to another replica on the I/O executor (connecting may block). */
    private CompletableFuture<RaftClientReply> forward(RaftPeerId target, RaftClientRequest request) {
        try {
            List<RaftPeer> known = List.copyOf(division.get().getRaftConf().getAllPeers());
            return CompletableFuture.supplyAsync(() -> rpc.send(known, request), sender())
                    .thenCompose(f -> f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Scheduler thread. */
    private void onReply(Operation op, RaftPeerId target, RaftClientReply reply, Throwable error) {
        if (op.result.isDone()) {
            return; // given up meanwhile (its caller's deadline)
        }
        Throwable cause = error != null ? unwrap(error) : reply.isSuccess() ? null : reply.getException();
        if (!(cause instanceof TimeoutException
                || cause instanceof TimeoutIOException
                || cause instanceof ReconfigurationInProgressException)) {
            op.holder = null; // answered, and not busy with a change
        }
        if (cause == null) {
            afterSuccess.run();
            LOG.info("replica {}: {} done", selfId, op.what);
            op.result.complete(null);
            return;
        }
        if (isRetryable(cause)) {
            op.lastRetryCause = cause;
            if (!target.equals(self) && cause instanceof IOException && !(cause instanceof RaftException)) {
                rpc.resetConnection(target, cause);
            }
            retryLater(op);
            return;
        }
        ReplicationException failure = map(op, cause);
        LOG.warn("replica {}: {} failed: {}", selfId, op.what, failure.getMessage());
        op.result.completeExceptionally(failure);
    }

    private void retryLater(Operation op) {
        long now = System.nanoTime();
        if (now - op.nextRetryLog >= 0) {
            op.nextRetryLog = now + RETRY_LOG_INTERVAL.toNanos();
            LOG.info(
                    "replica {}: {} still waiting, {} ms left: {}",
                    selfId,
                    op.what,
                    TimeUnit.NANOSECONDS.toMillis(op.deadline - now),
                    op.lastRetryCause == null ? "?" : op.lastRetryCause.toString());
        }
        try {
            scheduler.schedule(() -> attempt(op), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            op.result.completeExceptionally(closedException());
        }
    }

    /** Leadership is moving or the leader is busy: the same request will do on the (new) leader shortly. */
    private static boolean isRetryable(Throwable cause) {
        return cause instanceof NotLeaderException
                || cause instanceof ServerNotReadyException // includes LeaderNotReadyException
                || cause instanceof LeaderSteppingDownException
                || cause instanceof ReconfigurationInProgressException
                || cause instanceof AlreadyClosedException // e.g. a removed leader shutting down
                || cause instanceof GroupMismatchException // a stale leader id
                || (cause instanceof IOException
                        && !(cause instanceof RaftException)
                        && !(cause instanceof TimeoutIOException)); // could not connect, connection lost
    }

    private ReplicationException map(Operation op, Throwable cause) {
        if (cause instanceof ReconfigurationTimeoutException) {
            return new ReplicationException(
                    Reason.FAILED,
                    op.what + " failed: a new peer did not respond or did not "
                            + "catch up with the leader in time (is it started in joining mode and reachable?): "
                            + cause.getMessage(),
                    cause);
        }
        if (cause instanceof SetConfigurationException || cause instanceof TransferLeadershipException) {
            return new ReplicationException(Reason.FAILED, op.what + " rejected: " + cause.getMessage(), cause);
        }
        if (cause instanceof TimeoutException || cause instanceof TimeoutIOException) {
            return deadlineExceeded(op);
        }
        return new ReplicationException(Reason.FAILED, op.what + " failed: " + cause, cause);
    }

    private ReplicationException deadlineExceeded(Operation op) {
        Throwable last = op.lastRetryCause;
        RaftPeerId leader = division.get().getInfo().getLeaderId();
        return new IndeterminateException(
                leader == null ? null : leader.toString(),
                op.what + " did not complete within "
                        + timeout.toMillis() + " ms; it may still take effect"
                        + (last == null ? "" : " (last retry cause: " + last + ")"));
    }

    private static ReplicationException closedException() {
        return new ReplicationException(Reason.CLOSED, "replica group is closed or its replication stopped");
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private Executor sender() {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        return io;
    }

    /** Refuses new requests; requests in progress end at their next step. */
    @Override
    public void close() {
        closed = true;
    }
}
