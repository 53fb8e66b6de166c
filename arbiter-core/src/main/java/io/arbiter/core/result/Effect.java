package io.arbiter.core.result;

import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;

/** Work the server must carry out after a command is applied, if it is the leader. Pure data. */
public sealed interface Effect {

    /**
     * Send a phase-two call to a resource manager: commit when {@code commit}, otherwise rollback. The answer is
     * to be proposed back as a {@link io.arbiter.core.command.Command.BranchOutcome}.
     */
    record SendPhaseTwo(
            String xid,
            long branchId,
            boolean commit,
            BranchType type,
            String resourceId,
            String applicationData,
            String clientId,
            String applicationId)
            implements Effect {}

    /**
     * The transaction reached a status worth answering a waiting TM with: a final status, or a retrying one
     * (Seata answers CommitRetrying / RollbackRetrying and keeps retrying in the background).
     */
    record Outcome(String xid, GlobalStatus status) implements Effect {}

    /**
     * A transaction is gone; AT resource managers may delete its undo logs. It names the transaction's application,
     * service group and begin time, so that the server can count ended transactions as Seata's metrics do.
     */
    record Finished(
            String xid,
            GlobalStatus status,
            boolean hadAtBranches,
            String applicationId,
            String serviceGroup,
            long beganAt)
            implements Effect {}

    /**
     * The transaction's local row locks were released (phase two began committing, or it ended): release its rows
     * in {@code fragmentId}, which holds some for one of its branches ({@code ReleaseLocks(transactionId, [])}
     * there). One per remote fragment, ascending; emitted again by {@code Resume} while the transaction is live.
     */
    record ReleaseRemoteLocks(int fragmentId, long transactionId, String xid) implements Effect {}
}
