package io.arbiter.core;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.lock.LockTable;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Result;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The lock commands between fragments: rows taken here for transactions of other fragments ("foreign" holders),
 * their release, and the liveness and holder reads the orphan sweep needs. Also names the holder of a conflicting
 * row, whichever kind it is.
 */
final class LockCommands {
    private final CoordinatorState state;
    private final ConflictStats conflicts = new ConflictStats();

    LockCommands(CoordinatorState state) {
        this.state = state;
    }

    /** Refused lock requests since this replica started (for the console). */
    ConflictStats conflicts() {
        return conflicts;
    }

    Result acquire(Command.AcquireLocks c) {
        if (Xids.transactionId(c.xid()) != c.transactionId()) {
            return new Result.Rejected(
                    ErrorCode.BranchRegisterFailed,
                    "xid = " + c.xid() + " does not name transaction " + c.transactionId(),
                    null);
        }
        if (state.isLocal(c.transactionId())) {
            return new Result.Rejected(
                    ErrorCode.BranchRegisterFailed,
                    "xid = " + c.xid() + " belongs to this fragment: its rows are locked by its branch register",
                    null);
        }
        if (state.locksHandedOver()) {
            return new Result.Rejected(
                    ErrorCode.LockSlotsMoved,
                    "fragment " + state.fragmentId() + " handed its lock slots over: take the rows where the cluster "
                            + "map places them now",
                    null);
        }
        LockTable locks = state.locks();
        String conflict = locks.firstConflict(c.transactionId(), c.rowKeys());
        if (conflict != null) {
            return conflict(conflict, null);
        }
        return new Result.LocksTaken(
                locks.acquireForeign(c.transactionId(), c.xid(), c.rowKeys(), c.now(), c.attempt()));
    }

    /** Releases a foreign transaction's rows; rows of this fragment's transactions go only when they end. */
    Result release(Command.ReleaseLocks c) {
        state.locks().releaseForeign(c.transactionId(), c.rowKeys(), c.attempt());
        return Result.Done.INSTANCE;
    }

    /**
     * Fences off the grants lock-only fragment {@code c.lockFragment()} made below {@code c.term()} and lists the rows
     * in its slots that this fragment's live transactions hold there.
     */
    Result fenceAndList(Command.FenceAndList c) {
        state.raiseLockFence(c.lockFragment(), c.term());
        java.util.BitSet slots = c.slots();
        List<ForeignHolder> holders = new ArrayList<>();
        for (GlobalTransaction tx : state.transactions()) {
            if (tx.locksReleased()) {
                continue;
            }
            List<String> rows = new ArrayList<>();
            for (io.arbiter.core.model.Branch b : tx.branches()) {
                for (String row : b.remoteRows()) {
                    if (slots.get(LockTable.slotOf(row))) {
                        rows.add(row);
                    }
                }
            }
            if (!rows.isEmpty()) {
                holders.add(new ForeignHolder(tx.transactionId(), tx.xid(), tx.beganAt(), rows));
            }
        }
        holders.sort(java.util.Comparator.comparingLong(ForeignHolder::transactionId));
        return new Result.ForeignLocks(holders);
    }

    /** Stops taking rows for good and lists what is held here for other fragments' transactions. */
    Result handOver() {
        state.handOverLocks();
        return new Result.ForeignLocks(state.locks().freezeForeignHolders());
    }

    /** Takes over rows handed over by another fragment; a transaction of this fragment that ended takes none. */
    Result adopt(Command.AdoptLocks c) {
        for (ForeignHolder h : c.holders()) {
            if (state.isLocal(h.transactionId()) && state.peek(h.transactionId()) == null) {
                continue;
            }
            state.locks().adopt(h);
        }
        return Result.Done.INSTANCE;
    }

    Result queryAlive(Command.QueryAlive c) {
        List<Long> ended = new ArrayList<>();
        for (long id : new LinkedHashSet<>(c.transactionIds())) {
            if (state.definitelyOver(id)) {
                ended.add(id);
            }
        }
        return new Result.Liveness(ended);
    }

    Result listForeignHolders(Command.ListForeignHolders c) {
        return new Result.Holders(state.locks().foreignHoldersAcquiredBefore(c.acquiredBefore()));
    }

    /**
     * The answer to a lock conflict on {@code row}, naming its holder: LockKeyConflictFailFast when the holder is a
     * transaction of this fragment that is rolling back (Seata's rule), otherwise LockKeyConflict.
     */
    Result.Rejected conflict(String row, GlobalStatus status) {
        conflicts.count(row);
        long holderId = state.locks().holder(row);
        GlobalTransaction local = state.peek(holderId);
        boolean failFast = local != null && local.status().isRollingBack();
        return new Result.Rejected(
                failFast ? ErrorCode.LockKeyConflictFailFast : ErrorCode.LockKeyConflict,
                "Global lock acquire failed xid = " + xidOf(holderId) + " lock = " + row,
                status);
    }

    /** The XID of a lock holder (live here, or foreign), "?" if unknown. */
    String xidOf(long holderId) {
        GlobalTransaction local = state.peek(holderId);
        if (local != null) {
            return local.xid();
        }
        ForeignHolder foreign = state.locks().foreignHolder(holderId);
        return foreign == null ? "?" : foreign.xid();
    }
}
