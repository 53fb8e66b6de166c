package io.arbiter.core;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.core.lock.LockVisitor;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import io.arbiter.core.snapshot.CoordinatorSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The transaction coordinator of one fragment, as a pure deterministic state machine: {@link #apply} takes a
 * command and returns the answer plus the effects the leader must carry out. No I/O, no clock, no threads:
 * time comes inside the commands.
 *
 * <p>Semantics follow Seata's TC: begin; branch register (AT takes row locks, a conflict answers
 * LockKeyConflict, or LockKeyConflictFailFast when the holder is rolling back); branch report; commit
 * (AT-only → asynchronous, otherwise synchronous phase two); rollback (branches in reverse order); status;
 * global report (Saga); lock query; timeout → rollback; phase-two retries with back-off and a deadline.
 *
 * <p>Row locks across fragments (see {@code docs/LOCKS.md}): a row is locked in the fragment owning its slot. This
 * fragment holds rows of its own transactions' branches and rows taken by transactions of other fragments
 * ({@link Command.AcquireLocks}, {@link Command.ReleaseLocks}); a branch may name rows taken in other fragments,
 * and whenever the transaction's local locks go, {@link Effect.ReleaseRemoteLocks} asks for those too.
 * {@link Command.QueryAlive} and {@link Command.ListForeignHolders} serve the sweep of orphaned foreign locks.
 *
 * <p>Threading: not thread-safe; called one call at a time (see the package documentation).
 */
public final class Coordinator {
    /** How many request answers are kept for deduplication. */
    static final int DEDUP_CAPACITY = 100_000;

    private final CoordinatorState state;
    private final PhaseTwo phaseTwo;
    private final LockCommands lockCommands;
    private final BranchRegistration branchRegistration;
    private final OperatorCommands operators;
    private final ConsoleQueries console;
    private final Deduplicator dedup = new Deduplicator(DEDUP_CAPACITY);
    private final LeaderMemoryLocks leaderMemory;

    public Coordinator(int fragmentId, CoordinatorSettings settings) {
        this.state = new CoordinatorState(fragmentId);
        this.phaseTwo = new PhaseTwo(state, settings);
        this.lockCommands = new LockCommands(state);
        this.branchRegistration = new BranchRegistration(state, lockCommands);
        this.operators = new OperatorCommands(state, phaseTwo);
        this.console = new ConsoleQueries(state, lockCommands);
        this.leaderMemory = new LeaderMemoryLocks(state, lockCommands);
    }

    /**
     * Applies a proposal: a command seen before under the same request id is not applied again; its first answer
     * is returned, without effects.
     */
    public Applied apply(Proposal proposal) {
        RequestId id = proposal.requestId();
        if (id == null) {
            return apply(proposal.command());
        }
        Result seen = dedup.answerOf(id);
        if (seen != null) {
            return new Applied(seen, List.of());
        }
        Applied applied = apply(proposal.command());
        dedup.remember(id, applied.result());
        return applied;
    }

    /**
     * Answers a read: the same result {@link #apply} would give, with no effect and nothing remembered, so it can be
     * answered by the leader alone, between two entries.
     */
    public Result read(Command.Read command) {
        return apply(command).result();
    }

    /**
     * Runs a lock command of a lock-only fragment against its leader's in-memory table ({@link LeaderMemoryLocks}),
     * with no effect and nothing remembered. {@code term} is this replica's term as leader, -1 if it does not lead.
     */
    public Result leaderLocks(Command.LeaderLocks command, long term) {
        return leaderMemory.run(command, term);
    }

    /**
     * A read on the leader of a lock-only fragment: a lock query is refused ({@code LockTableNotReady}) until the
     * in-memory table is rebuilt for {@code term}; other reads as {@link #read}.
     */
    public Result leaderRead(Command.Read command, long term) {
        if (command instanceof Command.QueryLock && !leaderMemory.ready(term)) {
            return leaderMemory.notReady(term);
        }
        return read(command);
    }

    /**
     * A lock-only fragment's replica starts leading in {@code term} (its in-memory table starts empty, see
     * {@link Command.RebuildLocks}), or stops leading ({@code term} &lt; 0); also right after a restore.
     */
    public void leaderLocksTerm(long term) {
        if (term < 0) {
            leaderMemory.notLeading();
        } else {
            leaderMemory.leading(term);
        }
    }

    public Applied apply(Command command) {
        List<Effect> effects = new ArrayList<>(2);
        Result result;
        if (command instanceof Command.Begin c) {
            result = begin(c);
        } else if (command instanceof Command.RegisterBranch c) {
            result = branchRegistration.register(c);
        } else if (command instanceof Command.ReportBranch c) {
            result = reportBranch(c);
        } else if (command instanceof Command.Commit c) {
            result = commit(c, effects);
        } else if (command instanceof Command.Rollback c) {
            result = rollback(c, effects);
        } else if (command instanceof Command.ReportGlobal c) {
            result = reportGlobal(c, effects);
        } else if (command instanceof Command.QueryStatus c) {
            result = queryStatus(c);
        } else if (command instanceof Command.QueryLock c) {
            result = queryLock(c);
        } else if (command instanceof Command.BranchOutcome c) {
            result = branchOutcome(c, effects);
        } else if (command instanceof Command.Tick c) {
            result = tick(c, effects);
        } else if (command instanceof Command.Resume c) {
            result = resume(c, effects);
        } else if (command instanceof Command.AcquireLocks c) {
            result = lockCommands.acquire(c);
        } else if (command instanceof Command.ReleaseLocks c) {
            result = lockCommands.release(c);
        } else if (command instanceof Command.LockBatch c) {
            List<Result> results = new ArrayList<>(c.commands().size());
            for (Command.LeaderLocks each : c.commands()) {
                results.add(
                        each instanceof Command.AcquireLocks a
                                ? lockCommands.acquire(a)
                                : lockCommands.release((Command.ReleaseLocks) each));
            }
            result = new Result.Batch(results);
        } else if (command instanceof Command.QueryAlive c) {
            result = lockCommands.queryAlive(c);
        } else if (command instanceof Command.ListForeignHolders c) {
            result = lockCommands.listForeignHolders(c);
        } else if (command instanceof Command.HandOverLocks) {
            result = lockCommands.handOver();
        } else if (command instanceof Command.AdoptLocks c) {
            result = lockCommands.adopt(c);
        } else if (command instanceof Command.FenceAndList c) {
            result = lockCommands.fenceAndList(c);
        } else if (command instanceof Command.RebuildLocks) {
            result = new Result.Rejected(
                    ErrorCode.BranchRegisterFailed,
                    "RebuildLocks changes a lock leader's memory, it is no log entry",
                    null);
        } else {
            result = applyConsoleCommand(command, effects);
        }
        return new Applied(result, effects);
    }

    /** Operators' commands and the console's reads. */
    private Result applyConsoleCommand(Command command, List<Effect> effects) {
        if (command instanceof Command.StopRetry c) {
            return operators.stopRetry(c);
        } else if (command instanceof Command.StartRetry c) {
            return operators.startRetry(c, effects);
        } else if (command instanceof Command.RetryNow c) {
            return operators.retryNow(c, effects);
        } else if (command instanceof Command.DeleteTransaction c) {
            return operators.deleteTransaction(c, effects);
        } else if (command instanceof Command.DeleteBranch c) {
            return operators.deleteBranch(c, effects);
        } else if (command instanceof Command.DeleteLock c) {
            return operators.deleteLock(c);
        } else if (command instanceof Command.ListTransactions c) {
            return console.transactions(c);
        } else if (command instanceof Command.ListLocks c) {
            return console.locks(c);
        } else if (command instanceof Command.ListContention c) {
            return console.contention(c);
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private Result begin(Command.Begin c) {
        long id = state.nextId(c.now());
        GlobalTransaction tx = new GlobalTransaction(
                id,
                c.xidPrefix() + ":" + id,
                c.applicationId(),
                c.serviceGroup(),
                c.name(),
                c.timeoutMillis(),
                c.now());
        state.add(tx);
        state.due().schedule(id, tx.expiresAt());
        return new Result.Began(tx.xid());
    }

    private Result reportBranch(Command.ReportBranch c) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            return new Result.Rejected(
                    ErrorCode.GlobalTransactionNotExist, "Could not find global transaction xid = " + c.xid(), null);
        }
        Branch branch = tx.branch(c.branchId());
        if (branch == null) {
            return new Result.Rejected(
                    ErrorCode.BranchTransactionNotExist,
                    "Could not find branch session xid = " + c.xid() + " branchId = " + c.branchId(),
                    tx.status());
        }
        tx.putBranch(branch.withReport(c.status(), c.applicationData()));
        return Result.Done.INSTANCE;
    }

    private Result commit(Command.Commit c, List<Effect> effects) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            return Result.Status.of(commitAnswerAfterEnd(state.endedStatus(c.xid())));
        }
        if (tx.status() == GlobalStatus.Committing) {
            return new Result.Status(GlobalStatus.Committing, true); // a retried commit waits for the outcome too
        }
        if (tx.status() != GlobalStatus.Begin) {
            return Result.Status.of(tx.status() == GlobalStatus.AsyncCommitting ? GlobalStatus.Committed : tx.status());
        }
        if (c.now() >= tx.expiresAt()) {
            phaseTwo.start(tx, GlobalStatus.TimeoutRollbacking, c.now(), effects);
            return Result.Status.of(GlobalStatus.TimeoutRollbacking);
        }
        if (tx.canCommitAsync()) {
            phaseTwo.start(tx, GlobalStatus.AsyncCommitting, c.now(), effects);
            return Result.Status.of(GlobalStatus.Committed);
        }
        phaseTwo.start(tx, GlobalStatus.Committing, c.now(), effects);
        return pendingOrFinal(tx);
    }

    private Result rollback(Command.Rollback c, List<Effect> effects) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            GlobalStatus ended = state.endedStatus(c.xid());
            return Result.Status.of(ended == null ? GlobalStatus.Finished : ended);
        }
        if (tx.status() == GlobalStatus.Rollbacking) {
            return new Result.Status(GlobalStatus.Rollbacking, true); // a retried rollback waits for the outcome too
        }
        if (tx.status() != GlobalStatus.Begin) {
            return Result.Status.of(tx.status());
        }
        phaseTwo.start(tx, GlobalStatus.Rollbacking, c.now(), effects);
        return pendingOrFinal(tx);
    }

    /** After phase two started: the final status if it already ended, else "wait for the outcome". */
    private Result pendingOrFinal(GlobalTransaction tx) {
        boolean stillLive = state.peek(tx.transactionId()) == tx;
        return new Result.Status(tx.status(), stillLive);
    }

    /**
     * A Saga TM's report of its transaction's end. A report for a transaction that already ended (a retry, or one
     * the TC rolled back when it timed out) answers how it really ended, when that is still remembered, so that a
     * late "Committed" is never confirmed for a transaction that was rolled back; otherwise the reported status.
     */
    private Result reportGlobal(Command.ReportGlobal c, List<Effect> effects) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            GlobalStatus ended = state.endedStatus(c.xid());
            return Result.Status.of(ended != null ? ended : c.status());
        }
        if (tx.status().isTimeout()) {
            // the coordinator decided to roll it back when it timed out: that decision stands
            return Result.Status.of(tx.status());
        }
        GlobalStatus retry = tx.isSaga() ? retryAsked(c.status()) : null;
        if (tx.isSaga() && c.status() == GlobalStatus.Finished) {
            // as Seata's SagaCore: a saga the engine reports Finished (it ended after compensating) ends rolled back
            phaseTwo.finish(tx, GlobalStatus.Rollbacked, effects);
            return Result.Status.of(GlobalStatus.Rollbacked);
        }
        if (c.status().isFinal()) {
            phaseTwo.finish(tx, c.status(), effects);
        } else if (retry != null) {
            // as Seata's SagaCore: the engine could not finish and leaves it to the coordinator, which calls the saga
            // RM's phase two (forward for a commit, compensate for a rollback) until it ends
            phaseTwo.retryReported(tx, retry, c.now());
        } else {
            tx.status(c.status());
        }
        return Result.Status.of(c.status());
    }

    /**
     * The phase two a saga TM's report hands to the coordinator's retries (as Seata's SagaCore: a commit for
     * CommitRetrying, a rollback for the rollback-retrying statuses and UnKnown), or null for a report that only
     * records its status.
     */
    private static GlobalStatus retryAsked(GlobalStatus reported) {
        return switch (reported) {
            case CommitRetrying, TimeoutRollbackRetrying -> reported;
            case RollbackRetrying, UnKnown -> GlobalStatus.RollbackRetrying;
            default -> null;
        };
    }

    private Result queryStatus(Command.QueryStatus c) {
        GlobalTransaction tx = state.peek(c.xid()); // a read: no copy of a transaction a snapshot shares
        // like Seata's TC, a transaction that is no longer live is Finished for a status query
        return Result.Status.of(tx == null ? GlobalStatus.Finished : tx.status());
    }

    /**
     * The answer to a commit of a transaction that is no longer live. One that ended recently answers as a live
     * commit would have (a TM whose commit was applied by a leader that died before answering retries it and hears
     * Committed, where Seata's TC says Finished and the client reports a failure), except that a plain rollback
     * answers Finished: Seata's TransactionalTemplate takes only Finished and the timeout statuses as a failed
     * commit, and would report Rollbacked as success.
     */
    private static GlobalStatus commitAnswerAfterEnd(GlobalStatus ended) {
        if (ended == null) {
            return GlobalStatus.Finished;
        }
        return switch (ended) {
            case Committed, CommitFailed, CommitRetryTimeout, TimeoutRollbacked, TimeoutRollbackFailed -> ended;
            default -> GlobalStatus.Finished;
        };
    }

    private Result queryLock(Command.QueryLock c) {
        List<String> rows;
        try {
            rows = LockKeys.rowKeys(c.resourceId(), c.lockKey());
        } catch (IllegalArgumentException e) {
            return new Result.Rejected(ErrorCode.BranchRegisterFailed, e.getMessage(), null);
        }
        if (state.locksHandedOver()) { // its rows (kept until the new owner has them) may be stale: ask the owner
            return new Result.Rejected(
                    ErrorCode.LockSlotsMoved, "fragment " + state.fragmentId() + " handed its lock slots over", null);
        }
        long self = Xids.transactionId(c.xid());
        return new Result.Lockable(state.locks().firstConflict(self, rows) == null);
    }

    private Result branchOutcome(Command.BranchOutcome c, List<Effect> effects) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx != null) {
            phaseTwo.onOutcome(tx, c.branchId(), c.commit(), c.branchStatus(), c.now(), effects);
        }
        return Result.Done.INSTANCE;
    }

    private Result tick(Command.Tick c, List<Effect> effects) {
        for (long id : state.due().pollDue(c.now())) {
            GlobalTransaction tx = state.get(id);
            if (tx == null) {
                continue;
            }
            if (tx.status() == GlobalStatus.Begin) {
                phaseTwo.start(tx, GlobalStatus.TimeoutRollbacking, c.now(), effects);
            } else {
                phaseTwo.onRetryDue(tx, c.now(), effects);
            }
        }
        return Result.Done.INSTANCE;
    }

    private Result resume(Command.Resume c, List<Effect> effects) {
        List<Long> inPhaseTwo = new ArrayList<>();
        for (GlobalTransaction tx : state.transactions()) {
            if (tx.status() != GlobalStatus.Begin) {
                inPhaseTwo.add(tx.transactionId());
            }
        }
        inPhaseTwo.sort(null);
        for (long id : inPhaseTwo) {
            GlobalTransaction tx = state.get(id);
            if (tx.locksReleased()) {
                PhaseTwo.releaseRemoteLocks(tx, effects); // the previous leader's release may not have happened
            }
            phaseTwo.attempt(tx, c.now(), effects);
        }
        return Result.Done.INSTANCE;
    }

    // ---- reads for the server, snapshots and invariant checks (apply thread only) ----

    /** Earliest time a {@link Command.Tick} would do something; {@link Long#MAX_VALUE} if never. */
    public long nextDue() {
        return state.due().nextDue();
    }

    public int transactionCount() {
        return state.transactions().size();
    }

    public int lockCount() {
        return state.locks().size();
    }

    /**
     * The AT resources that registered branches here, with the time of each one's latest registration, least recent
     * first (a copy): whose resource managers get undo-log deletion requests.
     */
    public Map<String, Long> atResources() {
        return state.atResources().freeze();
    }

    /** The live transactions (do not mutate); for tests and the admin view. */
    public Collection<GlobalTransaction> transactions() {
        return state.transactions();
    }

    /** The holder of a row key, 0 if free. */
    public long lockHolder(String rowKey) {
        return state.locks().holder(rowKey);
    }

    /** The XID of the holder of a row key, null if free. */
    public String lockHolderXid(String rowKey) {
        long holder = state.locks().holder(rowKey);
        return holder == 0 ? null : lockCommands.xidOf(holder);
    }

    public void forEachLock(BiConsumer<String, Long> visitor) {
        state.locks().forEach(visitor);
    }

    /** Visits every locked row with its holder's id and XID (for the lock listing). */
    public void forEachLock(LockVisitor visitor) {
        state.locks().forEach((row, holder) -> visitor.visit(row, holder, lockCommands.xidOf(holder)));
    }

    /**
     * The transactions of other fragments holding rows here whose latest acquisition is before
     * {@code acquiredBefore}, ascending ({@link Xids#fragmentOf} names each one's fragment): candidates for the
     * orphan sweep. The same answer as {@link Command.ListForeignHolders}.
     */
    public List<Long> foreignHolders(long acquiredBefore) {
        return state.locks().foreignHoldersAcquiredBefore(acquiredBefore);
    }

    /** What a foreign transaction holds here (read only), null if nothing. */
    public ForeignHolder foreignHolder(long transactionId) {
        return state.locks().foreignHolder(transactionId);
    }

    /**
     * A consistent view of the state, cheap enough for the apply thread (references only: transactions are copied
     * on their next change instead); write it out on another thread.
     */
    public CoordinatorSnapshot snapshot() {
        return new CoordinatorSnapshot(
                state.fragmentId(),
                state.sequence(),
                state.freeze(),
                dedup.freeze(),
                state.ended().freeze(),
                state.locks().freezeForeignHolders(),
                state.atResources().freeze(),
                state.locksHandedOver(),
                state.lockFences());
    }

    /** Replaces the state with a snapshot's. */
    public static Coordinator restore(CoordinatorSnapshot snapshot, CoordinatorSettings settings) {
        Coordinator c = new Coordinator(snapshot.fragmentId(), settings);
        c.state.restoreSequence(snapshot.sequence());
        for (GlobalTransaction tx : snapshot.transactions()) {
            c.state.restore(tx.copy(), snapshot.sequence());
        }
        snapshot.answers().forEach(c.dedup::remember);
        snapshot.ended().forEach(c.state.ended()::remember);
        snapshot.foreignHolders().forEach(c.state.locks()::restoreForeign);
        snapshot.atResources().forEach(c.state.atResources()::registered);
        if (snapshot.locksHandedOver()) {
            c.state.handOverLocks();
        }
        snapshot.lockFences().forEach(c.state::raiseLockFence);
        return c;
    }
}
