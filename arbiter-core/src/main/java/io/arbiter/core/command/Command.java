package io.arbiter.core.command;

import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;

/**
 * Everything that changes (or reads) coordinator state. Each command carries the time it was proposed at
 * where time matters, so applying it is deterministic on every replica and on replay.
 */
public sealed interface Command {

    /** Starts a global transaction; the XID is {@code xidPrefix + ":" + transactionId}. */
    record Begin(String xidPrefix, String applicationId, String serviceGroup, String name, int timeoutMillis,
                 long now) implements Command { }

    /** Registers a branch; AT branches take the row locks named by {@code lockKey}. */
    record RegisterBranch(String xid, BranchType type, String resourceId, String lockKey, String applicationData,
                          String clientId, long now) implements Command { }

    /** Phase-one report of a branch (status, optionally new application data). */
    record ReportBranch(String xid, long branchId, BranchStatus status, String applicationData)
            implements Command { }

    /** The TM asks to commit. */
    record Commit(String xid, long now) implements Command { }

    /** The TM asks to roll back. */
    record Rollback(String xid, long now) implements Command { }

    /** Saga-style report of the global outcome by the client. */
    record ReportGlobal(String xid, GlobalStatus status, long now) implements Command { }

    /** Read: status of a transaction. */
    record QueryStatus(String xid) implements Command { }

    /** Read: whether the rows of {@code lockKey} could be locked by {@code xid} (null: outside any transaction). */
    record QueryLock(String xid, String resourceId, String lockKey) implements Command { }

    /**
     * Outcome of one phase-two call made by the leader. {@code branchStatus} is what the RM answered, or null
     * when the call failed (no RM, timeout, error): that counts as retryable.
     */
    record BranchOutcome(String xid, long branchId, boolean commit, BranchStatus branchStatus, long now)
            implements Command { }

    /** The leader's clock: time out expired transactions and retry due phase-two work. */
    record Tick(long now) implements Command { }

    /**
     * A new leader took over: make the phase-two calls of every transaction in phase two again now, instead of
     * waiting for their retry timers (the previous leader's calls and answers may be lost).
     */
    record Resume(long now) implements Command { }
}
