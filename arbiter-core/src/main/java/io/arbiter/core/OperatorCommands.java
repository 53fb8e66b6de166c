package io.arbiter.core;

import io.arbiter.core.command.Command;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import java.util.List;

/**
 * Operators' commands on live transactions (Seata 2.4's console operations): stop and start phase-two retries of a
 * transaction or a branch, call phase two now, delete a transaction, a branch or a row lock. Refusals follow
 * Seata's rules and messages where Arbiter has the same state (see {@code docs/CONSOLE-API.md}).
 */
final class OperatorCommands {
    private final CoordinatorState state;
    private final PhaseTwo phaseTwo;

    OperatorCommands(CoordinatorState state, PhaseTwo phaseTwo) {
        this.state = state;
        this.phaseTwo = phaseTwo;
    }

    Result stopRetry(Command.StopRetry c) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            return notFound(c.xid());
        }
        if (c.branchId() != 0) {
            return stopBranch(tx, c.branchId());
        }
        if (tx.retryStopped()) {
            return invalid(tx, "the retries of this global transaction are stopped already");
        }
        if (!tx.status().isPhaseTwo()) {
            return invalid(tx, "current global transaction status is not support stop");
        }
        tx.retryStopped(true);
        state.due().cancel(tx.transactionId());
        return Result.Done.INSTANCE;
    }

    private Result stopBranch(GlobalTransaction tx, long branchId) {
        Branch branch = tx.branch(branchId);
        if (branch == null) {
            return branchNotFound(tx, branchId);
        }
        if (tx.isSaga()) {
            return invalid(tx, "saga can not operate branch transactions because it have no determinative role");
        }
        if (branch.status() == BranchStatus.STOP_RETRY) {
            return invalid(tx, "current branch session is already stop");
        }
        if (branch.status().isPhaseTwoFinal()) {
            return invalid(tx, "current branch session is not support to stop: its phase two is over");
        }
        if (!tx.status().isPhaseTwo()) {
            return invalid(tx, "wrong status for global status: branch retries exist only in phase two");
        }
        tx.putBranch(branch.withStatus(BranchStatus.STOP_RETRY));
        return Result.Done.INSTANCE;
    }

    Result startRetry(Command.StartRetry c, List<Effect> effects) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            return notFound(c.xid());
        }
        if (c.branchId() != 0) {
            Branch branch = tx.branch(c.branchId());
            if (branch == null) {
                return branchNotFound(tx, c.branchId());
            }
            if (tx.isSaga()) {
                return invalid(tx, "saga can not operate branch transactions because it have no determinative role");
            }
            if (branch.status() != BranchStatus.STOP_RETRY) {
                return invalid(tx, "current branch transactions status is not support to start retry");
            }
            tx.putBranch(branch.withStatus(BranchStatus.Registered));
            if (tx.status().isPhaseTwo()) {
                phaseTwo.attempt(tx, c.now(), effects);
            }
            return Result.Done.INSTANCE;
        }
        if (!tx.retryStopped()) {
            return invalid(tx, "current global transaction status is not support start");
        }
        tx.retryStopped(false);
        tx.phaseTwoStartedAt(c.now()); // a fresh retry window: the stop may have outlasted the old one
        phaseTwo.attempt(tx, c.now(), effects);
        return Result.Done.INSTANCE;
    }

    Result retryNow(Command.RetryNow c, List<Effect> effects) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            return notFound(c.xid());
        }
        if (!tx.status().isPhaseTwo()) {
            return invalid(tx, "current global transaction status is not support to do");
        }
        phaseTwo.call(tx, c.now(), effects);
        return Result.Done.INSTANCE;
    }

    Result deleteTransaction(Command.DeleteTransaction c, List<Effect> effects) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            return notFound(c.xid());
        }
        if (!c.force() && !retryingOrStopped(tx)) {
            return invalid(tx, "current global transaction status is not support deleted");
        }
        phaseTwo.finish(tx, GlobalStatus.Finished, effects);
        return Result.Done.INSTANCE;
    }

    Result deleteBranch(Command.DeleteBranch c, List<Effect> effects) {
        GlobalTransaction tx = state.find(c.xid());
        if (tx == null) {
            return notFound(c.xid());
        }
        Branch branch = tx.branch(c.branchId());
        if (branch == null) {
            return branchNotFound(tx, c.branchId());
        }
        if (tx.isSaga()) {
            return invalid(tx, "saga can not operate branch transactions because it have no determinative role");
        }
        if (!c.force() && !retryingOrStopped(tx)) {
            return invalid(tx, "current global transaction is not support delete branch transaction");
        }
        tx.removeBranch(branch.branchId());
        if (!tx.locksReleased()) {
            // a row another branch of the transaction also names stays held for that branch
            List<String> stillNamed =
                    tx.branches().stream().flatMap(b -> b.rowKeys().stream()).toList();
            state.locks()
                    .releaseAll(
                            tx.transactionId(),
                            branch.rowKeys().stream()
                                    .filter(r -> !stillNamed.contains(r))
                                    .toList());
        }
        if (tx.status().isPhaseTwo() && tx.pendingBranches().isEmpty()) {
            phaseTwo.attempt(tx, c.now(), effects); // nothing left to call: it ends (unless stopped)
        }
        return Result.Done.INSTANCE;
    }

    Result deleteLock(Command.DeleteLock c) {
        long transactionId = Xids.transactionId(c.xid());
        if (transactionId <= 0) {
            return new Result.Rejected(ErrorCode.GlobalTransactionNotExist, "Wrong parameter for xid", null);
        }
        state.locks().releaseForeign(transactionId, List.of(c.rowKey()));
        GlobalTransaction tx = state.find(c.xid());
        if (tx != null) {
            // every branch naming the row forgets it, so that no branch takes it again on a restart
            for (Branch b : List.copyOf(tx.branches())) {
                if (b.rowKeys().contains(c.rowKey()) || b.remoteRows().contains(c.rowKey())) {
                    if (!tx.locksReleased() && b.rowKeys().contains(c.rowKey())) {
                        state.locks().releaseAll(tx.transactionId(), List.of(c.rowKey()));
                    }
                    tx.putBranch(b.withoutRow(c.rowKey()));
                }
            }
        }
        return Result.Done.INSTANCE;
    }

    /** Seata's deletable statuses that Arbiter keeps live: phase two retrying, or stopped by an operator. */
    private static boolean retryingOrStopped(GlobalTransaction tx) {
        return tx.retryStopped()
                || switch (tx.status()) {
                    case CommitRetrying, RollbackRetrying, TimeoutRollbackRetrying, TimeoutRollbacking -> true;
                    default -> false;
                };
    }

    private static Result notFound(String xid) {
        return new Result.Rejected(
                ErrorCode.GlobalTransactionNotExist,
                "Global session is not exist, may be finished: xid = " + xid,
                null);
    }

    private static Result branchNotFound(GlobalTransaction tx, long branchId) {
        return new Result.Rejected(
                ErrorCode.BranchTransactionNotExist,
                "branch session is not exist, may be finished: branchId = " + branchId,
                tx.status());
    }

    private static Result invalid(GlobalTransaction tx, String message) {
        return new Result.Rejected(
                ErrorCode.GlobalTransactionStatusInvalid,
                message + " (status " + tx.status() + (tx.retryStopped() ? ", retries stopped" : "") + ")",
                tx.status());
    }
}
