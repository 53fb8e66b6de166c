package io.arbiter.core;

import io.arbiter.core.model.Branch;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Effect;
import java.util.List;

/**
 * Phase two of a global transaction: which calls to make, how RM answers move it on, retries and the retry
 * deadline, and when row locks go (at the start of a commit, at the end of a rollback; those in other fragments
 * through {@link Effect.ReleaseRemoteLocks}). Commit calls all pending branches at once; rollback calls them one at a
 * time in reverse order of registration, as Seata does.
 */
final class PhaseTwo {
    /** Saga transactions get one call for the whole transaction, with this branch id. */
    static final long SAGA_BRANCH_ID = -1;

    /**
     * An XA branch whose database does not know its XA transaction (the RM answers XAER_NOTA: it was never
     * prepared, or phase two already ran) counts as done once its transaction began more than its timeout plus
     * {@code max(this, timeout)} ago, as in Seata's server ({@code server.xaerNotaRetryTimeout}, 60 s): before that the
     * prepare may still be on its way, after that nothing will prepare it.
     */
    static final long XAER_NOTA_RETRY_TIMEOUT_MILLIS = 60_000;

    private final CoordinatorState state;
    private final CoordinatorSettings settings;

    PhaseTwo(CoordinatorState state, CoordinatorSettings settings) {
        this.state = state;
        this.settings = settings;
    }

    /** Puts {@code tx} into {@code status} (a committing or rolling-back status) and makes the first calls. */
    void start(GlobalTransaction tx, GlobalStatus status, long now, List<Effect> effects) {
        tx.status(status);
        tx.phaseTwoStartedAt(now);
        tx.attempts(0);
        if (status.isCommitting()) {
            releaseLocks(tx, effects);
        }
        attempt(tx, now, effects);
    }

    /**
     * A saga TM reported that its engine could not finish: phase two goes on from the coordinator's retries in the
     * reported direction, the first call after one retry back-off (Seata's retry queues run every second), so that a
     * report repeated while the retries run moves neither the deadline nor the next call.
     */
    void retryReported(GlobalTransaction tx, GlobalStatus retrying, long now) {
        if (!tx.status().isPhaseTwo()) {
            tx.phaseTwoStartedAt(now);
            tx.attempts(0);
            scheduleRetry(tx, now + settings.backoff(0));
        }
        tx.status(retrying);
    }

    /**
     * Makes (again) the phase-two calls that are due, or finishes the transaction if none is left. Nothing while an
     * operator has stopped its retries.
     */
    void attempt(GlobalTransaction tx, long now, List<Effect> effects) {
        if (!tx.retryStopped()) {
            call(tx, now, effects);
        }
    }

    /**
     * Makes the phase-two calls now, also while retries are stopped (then without a retry timer); branches whose
     * retries are stopped are not called. Finishes the transaction if no branch is left.
     */
    void call(GlobalTransaction tx, long now, List<Effect> effects) {
        boolean commit = tx.status().isCommitting();
        if (tx.isSaga()) {
            effects.add(sagaCall(tx, commit));
        } else {
            List<Branch> pending = tx.pendingBranches();
            if (pending.isEmpty()) {
                finish(tx, successStatus(tx), effects);
                return;
            }
            List<Branch> callable = callable(pending);
            if (commit) {
                callable.forEach(b -> effects.add(call(tx, b, true)));
            } else if (!callable.isEmpty()) {
                effects.add(call(tx, callable.get(callable.size() - 1), false));
            }
        }
        tx.attempts(tx.attempts() + 1);
        scheduleRetry(tx, now + settings.callTimeoutMillis() + settings.backoff(tx.attempts()));
    }

    /** Applies an RM's answer (or a failed call, {@code answer == null}). */
    void onOutcome(
            GlobalTransaction tx, long branchId, boolean commit, BranchStatus answer, long now, List<Effect> effects) {
        if (tx.status().isCommitting() != commit
                || !(tx.status().isCommitting() || tx.status().isRollingBack())) {
            return; // stale: the transaction is no longer in that phase
        }
        BranchStatus success = commit ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
        BranchStatus fatal = commit
                ? BranchStatus.PhaseTwo_CommitFailed_Unretryable
                : BranchStatus.PhaseTwo_RollbackFailed_Unretryable;
        if (branchId == SAGA_BRANCH_ID && tx.isSaga()) {
            onSagaOutcome(tx, commit, answer, now, effects);
            return;
        }
        Branch branch = tx.branch(branchId);
        if (branch == null || branch.status().isPhaseTwoFinal()) {
            return;
        }
        if (xaerNotaPastItsWait(tx, answer, commit, now)) {
            answer = success;
        }
        if (answer == success) {
            tx.putBranch(branch.withStatus(success));
            List<Branch> pending = tx.pendingBranches();
            List<Branch> callable = callable(pending);
            if (pending.isEmpty()) {
                finish(tx, successStatus(tx), effects);
            } else if (!commit && !callable.isEmpty() && !tx.retryStopped()) {
                effects.add(call(tx, callable.get(callable.size() - 1), false));
                scheduleRetry(tx, now + settings.callTimeoutMillis() + settings.backoff(tx.attempts()));
            }
        } else if (answer == fatal) {
            tx.putBranch(branch.withStatus(fatal));
            finish(tx, failedStatus(tx), effects);
        } else {
            retryLater(tx, now, effects);
        }
    }

    /**
     * The saga RM's answer for the whole transaction, read as Seata's SagaCore reads it: the engine went forward (a
     * commit) or compensated (a rollback) and says where the state machine ended, which may be the other direction
     * than the call asked (a forward that compensated, a compensation whose recover strategy is forward).
     */
    private void onSagaOutcome(
            GlobalTransaction tx, boolean commit, BranchStatus answer, long now, List<Effect> effects) {
        if (answer == BranchStatus.PhaseTwo_Committed && commit) {
            finish(tx, GlobalStatus.Committed, effects);
        } else if (answer == BranchStatus.PhaseTwo_Rollbacked) {
            finish(tx, commit ? GlobalStatus.Rollbacked : successStatus(tx), effects);
        } else if (commit && answer == BranchStatus.PhaseOne_Failed) {
            finish(tx, GlobalStatus.Finished, effects);
        } else if (commit && answer == BranchStatus.PhaseTwo_CommitFailed_Unretryable) {
            finish(tx, GlobalStatus.CommitFailed, effects);
        } else if (!commit && answer == BranchStatus.PhaseTwo_RollbackFailed_Unretryable) {
            finish(tx, failedStatus(tx), effects);
        } else if (commit && answer == BranchStatus.PhaseTwo_RollbackFailed_Retryable) {
            turn(tx, GlobalStatus.RollbackRetrying, now);
        } else if (!commit && answer == BranchStatus.PhaseTwo_CommitFailed_Retryable) {
            turn(tx, GlobalStatus.CommitRetrying, now);
        } else {
            retryLater(tx, now, effects);
        }
    }

    /** The saga goes on in the other direction: the next retry calls the RM for it. */
    private void turn(GlobalTransaction tx, GlobalStatus retrying, long now) {
        tx.status(retrying);
        scheduleRetry(tx, now + settings.backoff(tx.attempts()));
    }

    /** An XAER_NOTA answer for a transaction that began long enough ago: nothing is left to commit or roll back. */
    private static boolean xaerNotaPastItsWait(GlobalTransaction tx, BranchStatus answer, boolean commit, long now) {
        BranchStatus nota = commit
                ? BranchStatus.PhaseTwo_CommitFailed_XAER_NOTA_Retryable
                : BranchStatus.PhaseTwo_RollbackFailed_XAER_NOTA_Retryable;
        long timeout = tx.timeoutMillis();
        return answer == nota && now > tx.beganAt() + timeout + Math.max(XAER_NOTA_RETRY_TIMEOUT_MILLIS, timeout);
    }

    /** The retry timer fired: give up past the deadline, otherwise call again. */
    void onRetryDue(GlobalTransaction tx, long now, List<Effect> effects) {
        if (tx.retryStopped()) {
            return;
        }
        boolean commit = tx.status().isCommitting();
        long limit = commit ? settings.maxCommitRetryMillis() : settings.maxRollbackRetryMillis();
        if (limit >= 0 && now - tx.phaseTwoStartedAt() > limit) {
            finish(tx, commit ? GlobalStatus.CommitRetryTimeout : GlobalStatus.RollbackRetryTimeout, effects);
            return;
        }
        attempt(tx, now, effects);
    }

    private void retryLater(GlobalTransaction tx, long now, List<Effect> effects) {
        GlobalStatus retrying = switch (tx.status()) {
            case Committing, CommitRetrying -> GlobalStatus.CommitRetrying;
            case AsyncCommitting -> GlobalStatus.AsyncCommitting;
            case Rollbacking, RollbackRetrying -> GlobalStatus.RollbackRetrying;
            default -> GlobalStatus.TimeoutRollbackRetrying;
        };
        tx.status(retrying);
        scheduleRetry(tx, now + settings.backoff(tx.attempts()));
        if (retrying != GlobalStatus.AsyncCommitting) { // the TM was told Committed already
            effects.add(new Effect.Outcome(tx.xid(), retrying));
        }
    }

    private void scheduleRetry(GlobalTransaction tx, long at) {
        if (tx.retryStopped()) {
            return;
        }
        tx.nextAttemptAt(at);
        state.due().schedule(tx.transactionId(), at);
    }

    /** Ends the transaction with a final status: locks released, removed, outcome announced. */
    void finish(GlobalTransaction tx, GlobalStatus status, List<Effect> effects) {
        tx.status(status);
        releaseLocks(tx, effects);
        state.remove(tx);
        boolean hadAt = tx.branches().stream().anyMatch(b -> b.type() == BranchType.AT);
        effects.add(new Effect.Outcome(tx.xid(), status));
        effects.add(new Effect.Finished(tx.xid(), status, hadAt, tx.applicationId(), tx.serviceGroup(), tx.beganAt()));
    }

    /** Releases the transaction's row locks here and asks for those in other fragments, once. */
    private void releaseLocks(GlobalTransaction tx, List<Effect> effects) {
        if (!tx.locksReleased()) {
            state.releaseLocks(tx);
            releaseRemoteLocks(tx, effects);
        }
    }

    /** One {@link Effect.ReleaseRemoteLocks} per remote fragment of the transaction's branches, ascending. */
    static void releaseRemoteLocks(GlobalTransaction tx, List<Effect> effects) {
        for (int fragment : tx.remoteFragments()) {
            effects.add(new Effect.ReleaseRemoteLocks(fragment, tx.transactionId(), tx.xid()));
        }
    }

    /** The pending branches phase two may call: those whose retries an operator did not stop. */
    private static List<Branch> callable(List<Branch> pending) {
        return pending.stream()
                .filter(b -> b.status() != BranchStatus.STOP_RETRY)
                .toList();
    }

    private static GlobalStatus successStatus(GlobalTransaction tx) {
        GlobalStatus s = tx.status();
        if (s.isCommitting()) {
            return GlobalStatus.Committed;
        }
        return s.isTimeout() ? GlobalStatus.TimeoutRollbacked : GlobalStatus.Rollbacked;
    }

    private static GlobalStatus failedStatus(GlobalTransaction tx) {
        GlobalStatus s = tx.status();
        if (s.isCommitting()) {
            return GlobalStatus.CommitFailed;
        }
        return s.isTimeout() ? GlobalStatus.TimeoutRollbackFailed : GlobalStatus.RollbackFailed;
    }

    private static Effect call(GlobalTransaction tx, Branch b, boolean commit) {
        return new Effect.SendPhaseTwo(
                tx.xid(),
                b.branchId(),
                commit,
                b.type(),
                b.resourceId(),
                b.applicationData(),
                b.clientId(),
                tx.applicationId());
    }

    private static Effect sagaCall(GlobalTransaction tx, boolean commit) {
        return new Effect.SendPhaseTwo(
                tx.xid(),
                SAGA_BRANCH_ID,
                commit,
                BranchType.SAGA,
                tx.applicationId() + "#" + tx.serviceGroup(),
                tx.status().name(),
                null,
                tx.applicationId());
    }
}
