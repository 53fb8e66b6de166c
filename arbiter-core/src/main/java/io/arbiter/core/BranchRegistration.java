package io.arbiter.core;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Result;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Branch register, as Seata's TC: the transaction must be in Begin (Saga branches excepted); an AT branch locks the
 * rows of its lock key here, all or none (a conflict answers LockKeyConflict, or LockKeyConflictFailFast when the
 * holder is rolling back). Rows already taken in other fragments (named in the command) are not locked here; the
 * branch remembers their fragments so that the transaction's end releases them.
 */
final class BranchRegistration {
    private final CoordinatorState state;
    private final LockCommands lockCommands;

    BranchRegistration(CoordinatorState state, LockCommands lockCommands) {
        this.state = state;
        this.lockCommands = lockCommands;
    }

    Result register(Command.RegisterBranch c) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            return new Result.Rejected(
                    ErrorCode.GlobalTransactionNotExist, "Could not find global transaction xid = " + c.xid(), null);
        }
        boolean sagaBranch = c.type() == BranchType.SAGA || c.type() == BranchType.SAGA_ANNOTATION;
        if (tx.status() != GlobalStatus.Begin && !sagaBranch) {
            return new Result.Rejected(
                    ErrorCode.GlobalTransactionStatusInvalid,
                    "Could not register branch into global session xid = " + c.xid() + " status = " + tx.status()
                            + ", cause by globalSession not begin",
                    tx.status());
        }
        String invalidRemote = invalidRemote(c);
        if (invalidRemote != null) {
            return new Result.Rejected(ErrorCode.BranchRegisterFailed, invalidRemote, tx.status());
        }
        String voidGrant = voidGrant(c);
        if (voidGrant != null) {
            return new Result.Rejected(ErrorCode.LockGrantVoid, voidGrant, tx.status());
        }
        List<String> rows;
        try {
            rows = c.type() == BranchType.AT ? LockKeys.rowKeys(c.resourceId(), c.lockKey()) : List.of();
        } catch (IllegalArgumentException e) {
            return new Result.Rejected(ErrorCode.BranchRegisterFailed, e.getMessage(), tx.status());
        }
        if (!c.remoteRows().isEmpty()) {
            Set<String> remote = new HashSet<>(c.remoteRows());
            rows = rows.stream().filter(row -> !remote.contains(row)).toList();
        }
        String conflict = state.locks().firstConflict(tx.transactionId(), rows);
        if (conflict != null) {
            return lockCommands.conflict(conflict, tx.status());
        }
        state.locks().lockAll(tx.transactionId(), rows);
        long branchId = state.nextId(c.now());
        tx.putBranch(new Branch(
                branchId,
                c.type(),
                c.resourceId(),
                c.lockKey(),
                c.applicationData(),
                c.clientId(),
                BranchStatus.Registered,
                rows,
                c.remoteFragments(),
                c.remoteRows()));
        if (c.type() == BranchType.AT) {
            state.atResources().registered(c.resourceId(), c.now());
        }
        return new Result.BranchRegistered(branchId);
    }

    /**
     * Why the register's rows from a lock leader's memory no longer count (that leader's term is fenced off here: a
     * newer leader rebuilt its table without them), or null when every grant stands.
     */
    private String voidGrant(Command.RegisterBranch c) {
        for (int i = 0; i < c.remoteFragments().size(); i++) {
            int f = c.remoteFragments().get(i);
            long granted = c.grantTerm(i);
            if (granted != 0 && granted < state.lockFence(f)) {
                return "rows granted by fragment " + f + "'s leader of term " + granted + " are void: it rebuilt its "
                        + "lock table in term " + state.lockFence(f) + "; take them again";
            }
        }
        return null;
    }

    /** Why the remote part of a register is unusable, or null if it is fine (or absent). */
    private String invalidRemote(Command.RegisterBranch c) {
        if (!c.hasRemoteRows()) {
            return null;
        }
        if (c.type() != BranchType.AT) {
            return "only AT branches hold row locks in other fragments";
        }
        for (int f : c.remoteFragments()) {
            if (f < 0 || f == state.fragmentId()) {
                return "remote fragment " + f + " is not another fragment";
            }
        }
        return null;
    }
}
