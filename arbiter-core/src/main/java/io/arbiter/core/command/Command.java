package io.arbiter.core.command;

import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.view.LockFilter;
import io.arbiter.core.view.TransactionFilter;
import java.util.List;

/**
 * Everything that changes (or reads) coordinator state. Each command carries the time it was proposed at
 * where time matters, so applying it is deterministic on every replica and on replay.
 */
public sealed interface Command {

    /**
     * A command that only reads: it changes nothing, so the fragment's leader answers it without a log entry
     * ({@code ReplicaGroup#query}, linearizable), and {@link io.arbiter.core.Coordinator#read} refuses anything else.
     */
    sealed interface Read extends Command {}

    /**
     * A lock command that the leader of a lock-only fragment answers from its in-memory lock table, without a log
     * entry ({@code docs/LOCKS.md} "Locks in the leader's memory"); in any other fragment it is proposed like every
     * command. {@link io.arbiter.core.Coordinator#leaderLocks} runs it.
     */
    sealed interface LeaderLocks extends Command {}

    /** Starts a global transaction; the XID is {@code xidPrefix + ":" + transactionId}. */
    record Begin(String xidPrefix, String applicationId, String serviceGroup, String name, int timeoutMillis, long now)
            implements Command {}

    /**
     * Registers a branch; AT branches take the row locks named by {@code lockKey}, all or none. Rows owned by other
     * fragments are taken there first ({@link AcquireLocks}) and named here: {@code remoteRows} are not locked in
     * this fragment, and {@code remoteFragments} are remembered on the branch so that the transaction's end releases
     * them ({@link io.arbiter.core.result.Effect.ReleaseRemoteLocks}). Both are empty when all rows are local.
     */
    record RegisterBranch(
            String xid,
            BranchType type,
            String resourceId,
            String lockKey,
            String applicationData,
            String clientId,
            long now,
            List<Integer> remoteFragments,
            List<String> remoteRows,
            List<Long> grantTerms)
            implements Command {
        public RegisterBranch {
            remoteFragments = remoteFragments == null ? List.of() : List.copyOf(remoteFragments);
            remoteRows = remoteRows == null ? List.of() : List.copyOf(remoteRows);
            grantTerms = grantTerms == null ? List.of() : List.copyOf(grantTerms);
            if (!grantTerms.isEmpty() && grantTerms.size() != remoteFragments.size()) {
                throw new IllegalArgumentException(
                        "one grant term per remote fragment: " + grantTerms + " for " + remoteFragments);
            }
        }

        /** A branch with rows taken in other fragments, none of them granted from a leader's memory. */
        public RegisterBranch(
                String xid,
                BranchType type,
                String resourceId,
                String lockKey,
                String applicationData,
                String clientId,
                long now,
                List<Integer> remoteFragments,
                List<String> remoteRows) {
            this(
                    xid,
                    type,
                    resourceId,
                    lockKey,
                    applicationData,
                    clientId,
                    now,
                    remoteFragments,
                    remoteRows,
                    List.of());
        }

        /**
         * The term of the leader of {@code remoteFragments().get(i)} that granted the branch's rows there from its
         * memory, 0 when they were taken by a replicated command (no fence applies).
         */
        public long grantTerm(int i) {
            return grantTerms.isEmpty() ? 0 : grantTerms.get(i);
        }

        /** True when some remote rows were granted from a lock leader's memory (their fences are checked). */
        public boolean hasGrantTerms() {
            return grantTerms.stream().anyMatch(t -> t != 0);
        }

        /** A branch whose rows are all in the transaction's fragment. */
        public RegisterBranch(
                String xid,
                BranchType type,
                String resourceId,
                String lockKey,
                String applicationData,
                String clientId,
                long now) {
            this(xid, type, resourceId, lockKey, applicationData, clientId, now, List.of(), List.of(), List.of());
        }

        /** True when some of the branch's rows were taken in other fragments. */
        public boolean hasRemoteRows() {
            return !remoteFragments.isEmpty() || !remoteRows.isEmpty();
        }
    }

    /**
     * Takes row locks in this fragment for a transaction of another fragment: all of {@code rowKeys} or none if any
     * is held by another transaction. Rows the transaction holds already stay held (a repeat is harmless), now
     * claimed by {@code attempt} (the register attempt; 0 = none), and the time of its latest acquisition becomes
     * {@code now}. Answers
     * {@link io.arbiter.core.result.Result.LocksTaken} with the rows newly taken.
     */
    record AcquireLocks(long transactionId, String xid, String resourceId, List<String> rowKeys, long now, long attempt)
            implements LeaderLocks {
        public AcquireLocks {
            rowKeys = List.copyOf(rowKeys);
        }

        /** Rows taken by no named attempt (they can only be released whole). */
        public AcquireLocks(long transactionId, String xid, String resourceId, List<String> rowKeys, long now) {
            this(transactionId, xid, resourceId, rowKeys, now, 0);
        }
    }

    /**
     * Releases the rows a transaction of another fragment holds here among {@code rowKeys}, or all of them when
     * {@code rowKeys} is empty; unless {@code attempt} is 0, only rows that register attempt claimed last (a retry of
     * the same register that took them over keeps them). Idempotent.
     */
    record ReleaseLocks(long transactionId, List<String> rowKeys, long attempt) implements LeaderLocks {
        public ReleaseLocks {
            rowKeys = List.copyOf(rowKeys);
        }

        /** Releases whatever attempt claimed the rows (the transaction's end, the sweeper, an operator). */
        public ReleaseLocks(long transactionId, List<String> rowKeys) {
            this(transactionId, rowKeys, 0);
        }
    }

    /**
     * Read: which of these transactions of this fragment are definitely over (not live, and at or below the id
     * counter: ids only grow, so an id below it that is not live ended or was never handed out). Answers
     * {@link io.arbiter.core.result.Result.Liveness}.
     */
    record QueryAlive(List<Long> transactionIds) implements Read {
        public QueryAlive {
            transactionIds = List.copyOf(transactionIds);
        }
    }

    /**
     * Read: the foreign transactions holding rows here whose latest acquisition is before {@code acquiredBefore}
     * (candidates for the orphan sweep). Answers {@link io.arbiter.core.result.Result.Holders}.
     */
    record ListForeignHolders(long acquiredBefore) implements Read {}

    /**
     * This fragment gives its lock slots away (it is retired and empty; {@code docs/LOCKS.md} "Moving slots"): from
     * now on it refuses {@link AcquireLocks} ({@code LockSlotsMoved}), also after a restart. Answers
     * {@link io.arbiter.core.result.Result.ForeignLocks} with every foreign holder and its rows, for the fragment
     * taking the slots over. Idempotent.
     */
    record HandOverLocks() implements Command {}

    /**
     * Takes over rows that another fragment handed over with their holders (the slots they hash to now belong
     * here): each free row becomes held by its holder, a row its holder holds already stays so, a row held by
     * another transaction (none should be) is left to it; a holder that is a transaction of this fragment and no
     * longer live takes nothing. Answers {@link io.arbiter.core.result.Result.Done}. Idempotent.
     */
    record AdoptLocks(List<io.arbiter.core.lock.ForeignHolder> holders) implements Command {
        public AdoptLocks {
            holders = List.copyOf(holders);
        }
    }

    /**
     * Several {@link AcquireLocks} and {@link ReleaseLocks} for one fragment, sent together by one node (its lock
     * calls to a lock-only fragment's leader that came in while its previous one was on the way: one peer message and
     * one leader read for all of them). Runs each in order, as if each came alone; answers
     * {@link io.arbiter.core.result.Result.Batch} with their results in the same order.
     */
    record LockBatch(List<LeaderLocks> commands) implements LeaderLocks {
        public LockBatch {
            commands = List.copyOf(commands);
            for (LeaderLocks c : commands) {
                if (!(c instanceof AcquireLocks) && !(c instanceof ReleaseLocks)) {
                    throw new IllegalArgumentException("a lock batch holds AcquireLocks and ReleaseLocks only, not "
                            + c.getClass().getSimpleName());
                }
            }
        }
    }

    /**
     * Leader memory only: the new leader of a lock-only fragment installs the rows it collected with
     * {@link FenceAndList} in every fragment for its {@code term}, and from then on grants rows (until then it
     * refuses with {@code LockTableNotReady}). Ignored when this replica no longer leads in {@code term}. Releases
     * that came in while the rows were collected are applied on top. Answers {@link io.arbiter.core.result.Result.Done}.
     */
    record RebuildLocks(long term, List<io.arbiter.core.lock.ForeignHolder> holders) implements LeaderLocks {
        public RebuildLocks {
            holders = List.copyOf(holders);
        }
    }

    /**
     * Replicated, in a transaction fragment: row grants that lock-only fragment {@code lockFragment} made from its
     * leader's memory below {@code term} are void here from now on (a register naming such a grant is refused with
     * {@code LockGrantVoid}); answers {@link io.arbiter.core.result.Result.ForeignLocks} with every transaction of
     * this fragment whose locks are not released yet and the rows of its branches in other fragments whose slots are
     * set in {@code slots} (whatever fragment granted them). The fence never goes down. Idempotent.
     */
    record FenceAndList(int lockFragment, long term, java.util.BitSet slots) implements Command {
        public FenceAndList {
            slots = (java.util.BitSet) slots.clone();
        }

        @Override
        public java.util.BitSet slots() {
            return (java.util.BitSet) slots.clone();
        }
    }

    /** Phase-one report of a branch (status, optionally new application data). */
    record ReportBranch(String xid, long branchId, BranchStatus status, String applicationData) implements Command {}

    /** The TM asks to commit. */
    record Commit(String xid, long now) implements Command {}

    /** The TM asks to roll back. */
    record Rollback(String xid, long now) implements Command {}

    /** Saga-style report of the global outcome by the client. */
    record ReportGlobal(String xid, GlobalStatus status, long now) implements Command {}

    /** Read: status of a transaction. */
    record QueryStatus(String xid) implements Read {}

    /** Read: whether the rows of {@code lockKey} could be locked by {@code xid} (null: outside any transaction). */
    record QueryLock(String xid, String resourceId, String lockKey) implements Read {}

    /**
     * Outcome of one phase-two call made by the leader. {@code branchStatus} is what the RM answered, or null
     * when the call failed (no RM, timeout, error): that counts as retryable.
     */
    record BranchOutcome(String xid, long branchId, boolean commit, BranchStatus branchStatus, long now)
            implements Command {}

    /** The leader's clock: time out expired transactions and retry due phase-two work. */
    record Tick(long now) implements Command {}

    /**
     * A new leader took over: make the phase-two calls of every transaction in phase two again now, instead of
     * waiting for their retry timers (the previous leader's calls and answers may be lost).
     */
    record Resume(long now) implements Command {}

    // ---- operator commands (the console; Seata 2.4's transaction operations) ----

    /**
     * Stops phase-two retries: of the whole transaction when {@code branchId} is 0 (no more calls, no retry timer,
     * no retry deadline; the console reports StopCommitOrCommitRetry / StopRollbackOrRollbackRetry), else of one
     * branch (status STOP_RETRY: it gets no calls and keeps the transaction from ending). Only in phase two.
     */
    record StopRetry(String xid, long branchId) implements Command {}

    /**
     * Starts stopped retries again: of the transaction ({@code branchId} 0; phase two is attempted at once and its
     * retry deadline counts from {@code now}), or of one branch (back to Registered, called at the next attempt).
     */
    record StartRetry(String xid, long branchId, long now) implements Command {}

    /**
     * Makes the phase-two calls of a transaction in phase two now (Seata's sendCommitOrRollback), also while its
     * retries are stopped; the answers move it on as usual.
     */
    record RetryNow(String xid, long now) implements Command {}

    /**
     * Deletes a live transaction: its row locks are released (here, and in other fragments through effects) and it
     * ends as Finished without calling any resource manager. Without {@code force} only a transaction whose phase
     * two is retrying or stopped may be deleted (Seata's rule); with it, any.
     */
    record DeleteTransaction(String xid, boolean force, long now) implements Command {}

    /**
     * Deletes one branch of a live transaction (its rows locked here are released; rows in other fragments go when
     * the transaction ends). Without {@code force} only while the transaction's phase two is retrying or stopped.
     * A transaction in phase two with no branch left then ends.
     */
    record DeleteBranch(String xid, long branchId, boolean force, long now) implements Command {}

    /**
     * Releases one row lock of transaction {@code xid}: in this fragment's lock table if held here, and from the
     * rows of every branch naming it if the transaction lives here (so that a restart from a snapshot does not take it
     * again). {@code branchId} is the branch the operator named (Seata's parameter; informational). Idempotent.
     */
    record DeleteLock(String xid, long branchId, String rowKey) implements Command {}

    /**
     * Read: this fragment's live transactions matching {@code filter}, oldest first (by begin time, then id), at most
     * {@code limit} (fewer if they would make an answer of more than about 2 MB), with the number of all matches. Answers {@link io.arbiter.core.result.Result.Transactions}.
     */
    record ListTransactions(TransactionFilter filter, int limit) implements Read {}

    /**
     * Read: the row locks held by this fragment's live transactions (wherever the rows are locked) matching
     * {@code filter}, oldest transaction first, at most {@code limit}, with the number of all matches. Answers
     * {@link io.arbiter.core.result.Result.Locks}.
     */
    record ListLocks(LockFilter filter, int limit) implements Read {}

    /**
     * Read: refused lock requests in this fragment per table, and the {@code limit} rows refused most often with
     * their holders. Answers {@link io.arbiter.core.result.Result.Contention}.
     */
    record ListContention(int limit) implements Read {}
}
