package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Result;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
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
import io.arbiter.protocol.message.TransactionResponse;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.routing.Delays;
import io.arbiter.server.routing.Leadership;
import io.arbiter.server.rpc.ClientSession;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Seata transaction request means: the coordinator command it becomes in the fragment that serves it, and
 * the Seata response its result becomes. Where the request is served (which node, which fragment, retries) is the
 * {@link io.arbiter.server.routing.RequestRouter}'s business; this class runs on the node that leads the fragment.
 * Failures of replication become Failed responses with the status the client expects, never exceptions.
 *
 * <p>Threading: thread-safe; never blocks (everything is a future).
 */
public final class TransactionRequests {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionRequests.class);

    /** Below the TM's default 30 s request timeout. */
    public static final long OUTCOME_WAIT_MILLIS = 25_000;
    /** How long the answer to an end waits at most for the release of the transaction's rows in other fragments. */
    static final long RELEASE_WAIT_MILLIS = 5_000;

    private final OutcomeWaiters waiters;
    private final String xidPrefix;
    private final LongSupplier clock;
    private volatile int maxOpenTransactions = Integer.MAX_VALUE;
    private final BranchLocks locks;
    private final Delays delays;

    public TransactionRequests(OutcomeWaiters waiters, String xidPrefix, LongSupplier clock, BranchLocks locks) {
        this(waiters, xidPrefix, clock, locks, Delays.SYSTEM);
    }

    /** @param delays where the wait for a phase-two outcome is timed ({@link Delays#SYSTEM} in production) */
    public TransactionRequests(
            OutcomeWaiters waiters, String xidPrefix, LongSupplier clock, BranchLocks locks, Delays delays) {
        this.delays = delays;
        this.waiters = waiters;
        this.xidPrefix = xidPrefix;
        this.clock = clock;
        this.locks = locks;
    }

    /** Requests whose retry would do something twice carry a request id for deduplication. */
    public static boolean needsRequestId(TransactionRequest request) {
        return request instanceof GlobalBeginRequest
                || request instanceof BranchRegisterRequest
                || request instanceof GlobalReportRequest;
    }

    /** Serves a request in {@code fragment}, whose replica on this node should lead. */
    public CompletableFuture<ResultMessage> serve(
            Fragment fragment, ClientSession session, TransactionRequest request, RequestId id) {
        CoordinatorService coordinator = fragment.service();
        CompletableFuture<ResultMessage> answer;
        if (request instanceof GlobalBeginRequest r) {
            answer = begin(fragment, session, r, id);
        } else if (request instanceof GlobalCommitRequest r) {
            answer = end(coordinator, r, r.xid(), new Command.Commit(r.xid(), clock.getAsLong()), true);
        } else if (request instanceof GlobalRollbackRequest r) {
            answer = end(coordinator, r, r.xid(), new Command.Rollback(r.xid(), clock.getAsLong()), false);
        } else if (request instanceof GlobalStatusRequest r) {
            answer = coordinator.submit(new Command.QueryStatus(r.xid())).thenApply(res ->
                    (ResultMessage) GlobalStatusResponse.success(status(res)));
        } else if (request instanceof GlobalReportRequest r) {
            answer = report(coordinator, r, id);
        } else if (request instanceof BranchRegisterRequest r) {
            answer = register(fragment, session, r, id);
        } else if (request instanceof BranchReportRequest r) {
            answer = coordinator
                    .submit(new Command.ReportBranch(
                            r.xid(), r.branchId(), WireMapping.toCore(r.status()), r.applicationData()))
                    .thenApply(res -> res instanceof Result.Rejected rej
                            ? BranchReportResponse.failed(WireMapping.toWire(rej.code()), rej.message())
                            : BranchReportResponse.success());
        } else if (request instanceof GlobalLockQueryRequest r) {
            answer = locks.lockable(fragment, r.xid(), r.resourceId(), r.lockKey())
                    .thenApply(res -> res instanceof Result.Lockable l
                            ? GlobalLockQueryResponse.success(l.lockable())
                            : GlobalLockQueryResponse.failed(
                                    TransactionExceptionCode.LockableCheckFailed, ((Result.Rejected) res).message()));
        } else {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "not a request a TC answers: " + request.getClass().getSimpleName()));
        }
        return answer.exceptionally(e -> Leadership.isLost(e) ? notLeader(request) : failure(request, e));
    }

    /** Open transactions a fragment takes before it refuses new begins (the rest of the node keeps serving). */
    public void limitOpenTransactions(int max) {
        this.maxOpenTransactions = max;
    }

    private CompletableFuture<ResultMessage> begin(
            Fragment fragment, ClientSession session, GlobalBeginRequest r, RequestId id) {
        if (!fragment.beginStarted()) {
            // retired (it goes once empty): NotRaftLeader makes the router choose another fragment
            return CompletableFuture.completedFuture(notLeader(r));
        }
        CompletableFuture<ResultMessage> answer = beginCounted(fragment, session, r, id);
        answer.whenComplete((ok, e) -> fragment.beginEnded());
        return answer;
    }

    private CompletableFuture<ResultMessage> beginCounted(
            Fragment fragment, ClientSession session, GlobalBeginRequest r, RequestId id) {
        CoordinatorService coordinator = fragment.service();
        int open = fragment.stateMachine().transactionCount();
        if (open >= maxOpenTransactions) {
            return CompletableFuture.completedFuture(GlobalBeginResponse.failed(
                    TransactionExceptionCode.BeginFailed,
                    "too many open transactions: fragment " + fragment.id() + " holds " + open
                            + " (arbiter.max-open-transactions = " + maxOpenTransactions + "); try again later"));
        }
        Command.Begin begin = new Command.Begin(
                xidPrefix,
                session.applicationId(),
                session.serviceGroup(),
                r.transactionName(),
                r.timeout() > 0 ? r.timeout() : 60_000,
                clock.getAsLong());
        return coordinator
                .submit(id, begin)
                .thenApply(res -> res instanceof Result.Began b
                        ? GlobalBeginResponse.success(b.xid())
                        : GlobalBeginResponse.failed(TransactionExceptionCode.BeginFailed, String.valueOf(res)));
    }

    /**
     * A global commit or rollback: proposed, then (synchronous phase two) its outcome awaited, at most
     * {@link #OUTCOME_WAIT_MILLIS}. Should this node stop leading the fragment first (leadership handed to the
     * preferred node, a lost election), the answer is NotRaftLeader at once: the router asks the next leader,
     * which finishes phase two and answers with the outcome (a repeated end of a transaction in phase two waits for
     * it there).
     */
    private CompletableFuture<ResultMessage> end(
            CoordinatorService coordinator, TransactionRequest request, String xid, Command command, boolean commit) {
        CompletableFuture<io.arbiter.core.model.GlobalStatus> outcome = waiters.register(xid);
        return coordinator.submit(command).thenCompose(res -> {
            Result.Status s = (Result.Status) res;
            if (!s.awaitOutcome()) {
                waiters.cancel(xid, outcome);
                return afterRemoteRelease(xid, endAnswer(commit, s.status()));
            }
            // phase two normally answers well within this; if not, tell the TM where things stand (and let a later
            // end of the transaction wait anew rather than share this answered wait)
            delays.after(OUTCOME_WAIT_MILLIS).thenRun(() -> {
                waiters.cancel(xid, outcome);
                if (outcome.complete(s.status())) {
                    LOG.info("outcome of {} not known within {} ms; answered {}", xid, OUTCOME_WAIT_MILLIS, s.status());
                }
            });
            // cancelled: this node stopped leading the fragment, the next leader announces the outcome
            return outcome.handle((status, e) -> e == null ? endAnswer(commit, status) : notLeader(request))
                    .thenCompose(answer -> afterRemoteRelease(xid, answer));
        });
    }

    /**
     * {@code answer}, once the transaction's rows in other fragments are released (as Seata releases a transaction's
     * locks before it answers its end), or after {@link #RELEASE_WAIT_MILLIS} if that takes longer (an election in
     * the lock's fragment): the release goes on, and the sweeper frees what it cannot.
     */
    private CompletableFuture<ResultMessage> afterRemoteRelease(String xid, ResultMessage answer) {
        CompletableFuture<Void> released = waiters.released(xid);
        if (released.isDone()) {
            return CompletableFuture.completedFuture(answer);
        }
        return delays.within(released, RELEASE_WAIT_MILLIS, null).thenApply(v -> answer);
    }

    private static ResultMessage endAnswer(boolean commit, io.arbiter.core.model.GlobalStatus status) {
        return commit
                ? GlobalCommitResponse.success(WireMapping.toWire(status))
                : GlobalRollbackResponse.success(WireMapping.toWire(status));
    }

    private CompletableFuture<ResultMessage> report(
            CoordinatorService coordinator, GlobalReportRequest r, RequestId id) {
        if (r.globalStatus() == null) {
            return CompletableFuture.completedFuture(GlobalReportResponse.failed(
                    TransactionExceptionCode.GlobalTransactionStatusInvalid,
                    "no status reported",
                    GlobalStatus.UnKnown));
        }
        io.arbiter.core.model.GlobalStatus reported = WireMapping.toCore(r.globalStatus());
        return coordinator
                .submit(id, new Command.ReportGlobal(r.xid(), reported, clock.getAsLong()))
                .thenApply(res -> GlobalReportResponse.success(status(res)));
    }

    private CompletableFuture<ResultMessage> register(
            Fragment fragment, ClientSession session, BranchRegisterRequest r, RequestId id) {
        BranchType type = WireMapping.toCore(r.branchType());
        Command.RegisterBranch cmd = new Command.RegisterBranch(
                r.xid(), type, r.resourceId(), r.lockKey(), r.applicationData(), session.clientId(), clock.getAsLong());
        return locks.register(fragment, cmd, id).thenApply(res -> {
            if (res instanceof Result.BranchRegistered b) {
                return BranchRegisterResponse.success(b.branchId());
            }
            Result.Rejected rej = (Result.Rejected) res;
            return BranchRegisterResponse.failed(WireMapping.toWire(rej.code()), rej.message());
        });
    }

    private static GlobalStatus status(Result res) {
        return WireMapping.toWire(((Result.Status) res).status());
    }

    /** Whether an answer says "not the leader" (the router then retries on the fragment's leader). */
    public static boolean isNotLeader(ResultMessage answer) {
        return answer instanceof TransactionResponse r
                && r.resultCode() == ResultCode.Failed
                && r.exceptionCode() == TransactionExceptionCode.NotRaftLeader;
    }

    /** This node does not lead: a Failed response with NotRaftLeader, which the entry node retries elsewhere. */
    public static ResultMessage notLeader(TransactionRequest request) {
        return failed(request, TransactionExceptionCode.NotRaftLeader, "not the leader");
    }

    /** The coordinator could not answer (no leader, storage failure): a Failed response of the right type. */
    public static ResultMessage failure(TransactionRequest request, Throwable e) {
        Throwable cause = Leadership.unwrap(e);
        LOG.warn("request {} failed: {}", request.getClass().getSimpleName(), cause.toString());
        TransactionExceptionCode code = request instanceof GlobalBeginRequest
                ? TransactionExceptionCode.BeginFailed
                : request instanceof GlobalLockQueryRequest
                        ? TransactionExceptionCode.LockableCheckFailed
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
