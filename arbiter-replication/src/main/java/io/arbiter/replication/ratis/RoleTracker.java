package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicatedStateMachine;
import org.apache.ratis.server.DivisionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Ratis's leadership events, which arrive on several threads and can race, into an ordered sequence of
 * {@link ReplicatedStateMachine#onRoleChange} calls on the apply thread. Each event only queues a reconciliation;
 * the reconciliation reads the current role when it runs, so late or reordered events cannot leave a stale role.
 * Promotion happens only on the "leader ready" path, which Ratis reports after the new leader's first entry was
 * applied, so the state machine hears {@code leader=true} only once it has applied everything committed before.
 *
 * <p>Threading: {@link #reconcile} runs on the apply thread only; the fields are confined to it.
 */
final class RoleTracker {

    private static final Logger LOG = LoggerFactory.getLogger(RoleTracker.class);

    private final ReplicatedStateMachine stateMachine;
    private boolean leader;
    private long term;

    RoleTracker(ReplicatedStateMachine stateMachine) {
        this.stateMachine = stateMachine;
    }

    /**
     * @param info the replica's current Raft state
     * @param mayPromote whether this reconciliation may report a new leadership (leader-ready events only)
     * @param closing the replica is closing: report the loss of leadership, never a gain
     */
    void reconcile(DivisionInfo info, boolean mayPromote, boolean closing) {
        boolean leaderNow = !closing && info.isLeader() && info.isLeaderReady();
        long termNow = info.getCurrentTerm();
        if (leader && (!leaderNow || termNow != term)) {
            deliver(false, termNow);
        }
        if (!leader && leaderNow && mayPromote) {
            deliver(true, termNow);
        }
    }

    private void deliver(boolean nowLeader, long nowTerm) {
        leader = nowLeader;
        term = nowTerm;
        LOG.info("{} in term {}", nowLeader ? "became leader" : "no longer leader", nowTerm);
        try {
            stateMachine.onRoleChange(nowLeader, nowTerm);
        } catch (RuntimeException e) {
            LOG.error("state machine threw in onRoleChange({}, {})", nowLeader, nowTerm, e);
        }
    }
}
