package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Result;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.BranchReportRequest;
import io.arbiter.protocol.message.BranchReportResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalReportRequest;
import io.arbiter.protocol.message.GlobalReportResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.server.rpc.ClientSession;
import io.arbiter.core.command.RequestId;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.TransactionResponse;
import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicationException;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.arbiter.server.rpc.PeerHeaders;
import io.arbiter.server.rpc.PeerLinks;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Seata transaction requests into coordinator commands and coordinator results into Seata responses.
 * Failures of replication become Failed responses with the status the client expects, never exceptions.
 *
 * <p>Threading: thread-safe; called on event loops; never blocks (everything is a future).
 */
public final class TransactionGateway {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionGateway.class);

    /** Below the TM's default 30 s request timeout. */
    private static final long OUTCOME_WAIT_MILLIS = 25_000;

    /** How long a forwarded request may take on the leader (it may wait for a synchronous phase two). */
    private static final Duration FORWARD_TIMEOUT = Duration.ofMillis(OUTCOME_WAIT_MILLIS + 3_000);
    /** Pause between attempts while no leader is known. */
    private static final long RETRY_DELAY_MILLIS = 100;

    private final CoordinatorService coordinator;
    private final OutcomeWaiters waiters;
    private final String xidPrefix;
    private final LongSupplier clock;
    private final ClusterView cluster;
    private final PeerLinks peers;
    private final long origin = new java.security.SecureRandom().nextLong();
    private final AtomicLong requests = new AtomicLong();
    private final Set<String> atResources = ConcurrentHashMap.newKeySet();
    /** Forwarded requests waiting for the node they were sent to, which led when they were sent. */
    private final Map<CompletableFuture<ResultMessage>, Forward> forwards = new ConcurrentHashMap<>();
    private final AtomicBoolean watchingLeader = new AtomicBoolean();

    private record Forward(String leaderId, TransactionRequest request) {
    }

    public TransactionGateway(CoordinatorService coordinator, OutcomeWaiters waiters, String xidPrefix,
                              LongSupplier clock, ClusterView cluster, PeerLinks peers) {
        this.coordinator = coordinator;
        this.waiters = waiters;
        this.xidPrefix = xidPrefix;
        this.clock = clock;
        this.cluster = cluster;
        this.peers = peers;
    }

    /** Resource ids that have registered AT branches (they get undo-log deletion requests). */
    public Set<String> atResources() {
        return atResources;
    }

    /**
     * A request from a client of this node: served here if this node leads, otherwise forwarded to the leader;
     * while there is no leader (an election) it is retried until a deadline below the client's own timeout, with
     * the same request id, so that it is applied once.
     */
    public CompletableFuture<ResultMessage> handle(ClientSession session, TransactionRequest request) {
        RequestId id = needsRequestId(request) ? new RequestId(origin, requests.incrementAndGet()) : null;
        long deadline = clock.getAsLong() + (session.role() == ClientSession.Role.RM ? 12_000 : 25_000);
        return route(session, request, id, deadline);
    }

    /** A request a peer forwarded to this node because it believes this node leads. */
    public CompletableFuture<ResultMessage> handleForwarded(ClientSession origin, TransactionRequest request,
                                                            RequestId id) {
        return local(origin, request, id);
    }

    private CompletableFuture<ResultMessage> route(ClientSession session, TransactionRequest request, RequestId id,
                                                   long deadline) {
        CompletableFuture<ResultMessage> attempt;
        Optional<ClusterMember> leader = cluster.leader();
        if (coordinator.isLeader()) {
            attempt = local(session, request, id);
        } else if (leader.isEmpty() || leader.get().equals(cluster.self())) {
            attempt = CompletableFuture.completedFuture(notLeader(request));
        } else {
            attempt = forward(leader.get(), session, request, id);
        }
        return attempt.thenCompose(answer -> {
            if (!isNotLeader(answer)) {
                return CompletableFuture.completedFuture(answer);
            }
            if (clock.getAsLong() >= deadline) {
                return CompletableFuture.completedFuture(failure(request,
                        new IllegalStateException("no leader within the request deadline")));
            }
            Executor later = CompletableFuture.delayedExecutor(RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(ignored -> route(session, request, id, deadline));
        });
    }

    /**
     * Forwards a request to {@code leader}. The attempt ends with NotRaftLeader (so that {@link #route} retries it,
     * with the same request id, on whoever leads then) as soon as this node's view names another leader or none:
     * a leader cut off from the others, or gone without the connection being reset, would otherwise hold the
     * request until {@link #FORWARD_TIMEOUT}, longer than the client waits, while the majority already serves.
     */
    private CompletableFuture<ResultMessage> forward(ClusterMember leader, ClientSession session,
                                                     TransactionRequest request, RequestId id) {
        CompletableFuture<ResultMessage> attempt = new CompletableFuture<>();
        forwards.put(attempt, new Forward(leader.id(), request));
        attempt.whenComplete((answer, error) -> forwards.remove(attempt));
        watchLeader();
        peers.call(leader, request, PeerHeaders.forwarded(session, id), FORWARD_TIMEOUT)
                .handle((answer, error) -> error == null && answer instanceof ResultMessage r ? r : notLeader(request))
                .thenAccept(attempt::complete);
        if (!cluster.leader().map(leader::equals).orElse(false)) {
            attempt.complete(notLeader(request)); // the view changed between the choice and the registration
        }
        return attempt;
    }

    /** Starts (once) following the cluster view: on each change, forwards to a node that no longer leads end. */
    private void watchLeader() {
        if (watchingLeader.compareAndSet(false, true)) {
            awaitViewChange(cluster.version());
        }
    }

    private void awaitViewChange(long version) {
        cluster.changedSince(version).whenComplete((ignored, error) -> {
            String leaderId = cluster.leader().map(ClusterMember::id).orElse(null);
            forwards.forEach((attempt, f) -> {
                if (!f.leaderId().equals(leaderId)) {
                    CompletableFuture.runAsync(() -> attempt.complete(notLeader(f.request())));
                }
            });
            awaitViewChange(Math.max(version + 1, cluster.version()));
        });
    }

    /** Requests whose retry would do something twice carry a request id for deduplication. */
    private static boolean needsRequestId(TransactionRequest request) {
        return request instanceof GlobalBeginRequest || request instanceof BranchRegisterRequest
                || request instanceof GlobalReportRequest;
    }

    private static boolean isNotLeader(ResultMessage answer) {
        return answer instanceof TransactionResponse r && r.resultCode() == ResultCode.Failed
                && r.exceptionCode() == TransactionExceptionCode.NotRaftLeader;
    }

    /** Serves a request on this node's replica (which should lead). */
    private CompletableFuture<ResultMessage> local(ClientSession session, TransactionRequest request, RequestId id) {
        CompletableFuture<ResultMessage> answer;
        if (request instanceof GlobalBeginRequest r) {
            answer = begin(session, r, id);
        } else if (request instanceof GlobalCommitRequest r) {
            answer = end(r.xid(), new Command.Commit(r.xid(), clock.getAsLong()), true);
        } else if (request instanceof GlobalRollbackRequest r) {
            answer = end(r.xid(), new Command.Rollback(r.xid(), clock.getAsLong()), false);
        } else if (request instanceof GlobalStatusRequest r) {
            answer = coordinator.submit(new Command.QueryStatus(r.xid())).thenApply(res ->
                    (ResultMessage) GlobalStatusResponse.success(status(res)));
        } else if (request instanceof GlobalReportRequest r) {
            answer = report(r, id);
        } else if (request instanceof BranchRegisterRequest r) {
            answer = register(session, r, id);
        } else if (request instanceof BranchReportRequest r) {
            answer = coordinator.submit(new Command.ReportBranch(r.xid(), r.branchId(),
                    WireMapping.toCore(r.status()), r.applicationData())).thenApply(res ->
                    res instanceof Result.Rejected rej ? BranchReportResponse.failed(WireMapping.toWire(rej.code()),
                            rej.message()) : BranchReportResponse.success());
        } else if (request instanceof GlobalLockQueryRequest r) {
            answer = coordinator.submit(new Command.QueryLock(r.xid(), r.resourceId(), r.lockKey())).thenApply(res ->
                    res instanceof Result.Lockable l ? GlobalLockQueryResponse.success(l.lockable())
                            : GlobalLockQueryResponse.failed(TransactionExceptionCode.LockableCheckFailed,
                            ((Result.Rejected) res).message()));
        } else {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "not a request a TC answers: " + request.getClass().getSimpleName()));
        }
        return answer.exceptionally(e -> isLeadershipLoss(e) ? notLeader(request) : failure(request, e));
    }

    private static boolean isLeadershipLoss(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        return cause instanceof NotLeaderException || cause instanceof IndeterminateException
                || cause instanceof ReplicationException r && r.reason() == ReplicationException.Reason.CLOSED;
    }

    private CompletableFuture<ResultMessage> begin(ClientSession session, GlobalBeginRequest r, RequestId id) {
        Command.Begin begin = new Command.Begin(xidPrefix, session.applicationId(), session.serviceGroup(),
                r.transactionName(), r.timeout() > 0 ? r.timeout() : 60_000, clock.getAsLong());
        return coordinator.submit(id, begin).thenApply(res -> res instanceof Result.Began b
                ? GlobalBeginResponse.success(b.xid())
                : GlobalBeginResponse.failed(TransactionExceptionCode.BeginFailed, String.valueOf(res)));
    }

    private CompletableFuture<ResultMessage> end(String xid, Command command, boolean commit) {
        CompletableFuture<io.arbiter.core.model.GlobalStatus> outcome = waiters.register(xid);
        return coordinator.submit(command).thenCompose(res -> {
            Result.Status s = (Result.Status) res;
            if (!s.awaitOutcome()) {
                waiters.cancel(xid, outcome);
                return CompletableFuture.completedFuture(s.status());
            }
            // phase two normally answers well within this; if not, tell the TM where things stand
            return outcome.completeOnTimeout(s.status(), OUTCOME_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }).thenApply(status -> commit ? GlobalCommitResponse.success(WireMapping.toWire(status))
                : GlobalRollbackResponse.success(WireMapping.toWire(status)));
    }

    private CompletableFuture<ResultMessage> report(GlobalReportRequest r, RequestId id) {
        if (r.globalStatus() == null) {
            return CompletableFuture.completedFuture(GlobalReportResponse.failed(
                    TransactionExceptionCode.GlobalTransactionStatusInvalid, "no status reported",
                    GlobalStatus.UnKnown));
        }
        io.arbiter.core.model.GlobalStatus reported = WireMapping.toCore(r.globalStatus());
        return coordinator.submit(id, new Command.ReportGlobal(r.xid(), reported, clock.getAsLong()))
                .thenApply(res -> GlobalReportResponse.success(status(res)));
    }

    private CompletableFuture<ResultMessage> register(ClientSession session, BranchRegisterRequest r, RequestId id) {
        BranchType type = WireMapping.toCore(r.branchType());
        Command.RegisterBranch cmd = new Command.RegisterBranch(r.xid(), type, r.resourceId(), r.lockKey(),
                r.applicationData(), session.clientId(), clock.getAsLong());
        return coordinator.submit(id, cmd).thenApply(res -> {
            if (res instanceof Result.BranchRegistered b) {
                if (type == BranchType.AT && r.resourceId() != null) {
                    atResources.add(r.resourceId());
                }
                return BranchRegisterResponse.success(b.branchId());
            }
            Result.Rejected rej = (Result.Rejected) res;
            return BranchRegisterResponse.failed(WireMapping.toWire(rej.code()), rej.message());
        });
    }

    private static GlobalStatus status(Result res) {
        return WireMapping.toWire(((Result.Status) res).status());
    }

    /** This node does not lead: a Failed response with NotRaftLeader, which the entry node retries elsewhere. */
    private static ResultMessage notLeader(TransactionRequest request) {
        return failed(request, TransactionExceptionCode.NotRaftLeader, "not the leader");
    }

    /** The coordinator could not answer (no leader, storage failure): a Failed response of the right type. */
    private static ResultMessage failure(TransactionRequest request, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        LOG.warn("request {} failed: {}", request.getClass().getSimpleName(), cause.toString());
        TransactionExceptionCode code = request instanceof GlobalBeginRequest ? TransactionExceptionCode.BeginFailed
                : request instanceof GlobalLockQueryRequest ? TransactionExceptionCode.LockableCheckFailed
                : TransactionExceptionCode.FailedStore;
        return failed(request, code, "coordinator unavailable: " + cause);
    }

    private static ResultMessage failed(TransactionRequest request, TransactionExceptionCode code, String msg) {
        if (request instanceof GlobalBeginRequest) {
            return GlobalBeginResponse.failed(code, msg);
        } else if (request instanceof GlobalCommitRequest) {
            return GlobalCommitResponse.failed(code, msg, GlobalStatus.UnKnown);
        } else if (request instanceof GlobalRollbackRequest) {
            return GlobalRollbackResponse.failed(code, msg, GlobalStatus.UnKnown);
        } else if (request instanceof GlobalStatusRequest) {
            return GlobalStatusResponse.failed(code, msg, GlobalStatus.UnKnown);
        } else if (request instanceof GlobalReportRequest) {
            return GlobalReportResponse.failed(code, msg, GlobalStatus.UnKnown);
        } else if (request instanceof BranchRegisterRequest) {
            return BranchRegisterResponse.failed(code, msg);
        } else if (request instanceof BranchReportRequest) {
            return BranchReportResponse.failed(code, msg);
        }
        return GlobalLockQueryResponse.failed(code, msg);
    }
}
