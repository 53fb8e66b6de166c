package io.arbiter.compat.ha;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureClassTest {
    private static final long MS = 1_000_000L;

    private static TxRecord failed(long latencyMs, String stage, String status, String error) {
        return new TxRecord(
                TxRecord.Kind.TCC,
                0,
                "127.0.0.1:8091:1",
                "ha-1",
                0,
                0,
                latencyMs * MS,
                TxRecord.Outcome.FAILED,
                stage,
                status,
                error);
    }

    @Test
    void classifiesTheFailuresSeenDuringFailovers() {
        assertThat(FailureClass.of(failed(
                        3,
                        "begin",
                        null,
                        "FrameworkException: can not register RM,err:can not connect to services-server.")))
                .isEqualTo(FailureClass.CLIENT_SENT_TO_DOWN_NODE);
        assertThat(FailureClass.of(failed(
                        15_001,
                        "business",
                        null,
                        "FrameworkException: TCC branch Register error <- TimeoutException: null ,cost: 15001 ms")))
                .isEqualTo(FailureClass.CLIENT_WAITED_FOR_TIMEOUT);
        assertThat(FailureClass.of(failed(30_100, "status", "Finished", "commit left status Finished")))
                .isEqualTo(FailureClass.CLIENT_WAITED_FOR_TIMEOUT);
        assertThat(FailureClass.of(failed(2_100, "status", "Finished", "commit left status Finished")))
                .isEqualTo(FailureClass.SERVER_COMMIT_ANSWERED_FINISHED);
        assertThat(FailureClass.of(failed(40, "business", null, "RmTransactionException: LockKeyConflict")))
                .isEqualTo(FailureClass.OTHER);
    }

    @Test
    void aLockWaitTimeoutIsExplainedOnlyByAnATTransactionWaitingForATimeoutAtThatMoment() {
        TxRecord lockWait = new TxRecord(
                TxRecord.Kind.AT,
                0,
                "x:1",
                "1",
                10_000 * MS,
                10_001 * MS,
                10_600 * MS,
                TxRecord.Outcome.FAILED,
                "business",
                null,
                "LockWaitTimeoutException: Global lock wait timeout <- LockConflictException: get global lock fail");
        TxRecord waiting = new TxRecord(
                TxRecord.Kind.AT,
                1,
                "x:2",
                "2",
                5_000 * MS,
                5_001 * MS,
                35_000 * MS,
                TxRecord.Outcome.FAILED,
                "status",
                "TimeoutRollbacked",
                "commit left status TimeoutRollbacked");
        TxRecord waitedEarlier = new TxRecord(
                TxRecord.Kind.AT,
                1,
                "x:3",
                "3",
                0,
                MS,
                9_000 * MS,
                TxRecord.Outcome.FAILED,
                "begin",
                null,
                "TmTransactionException: RPC timeout <- TimeoutException");
        assertThat(FailureClass.of(lockWait)).isEqualTo(FailureClass.CLIENT_LOCK_HELD_BY_WAITING_TX);
        assertThat(FailureClass.of(lockWait).clientSide()).isTrue();
        assertThat(FailureClass.lockHolderWasWaiting(lockWait, java.util.List.of(lockWait, waiting)))
                .isTrue();
        assertThat(FailureClass.lockHolderWasWaiting(lockWait, java.util.List.of(lockWait, waitedEarlier)))
                .isFalse();
        assertThat(FailureClass.SERVER_COMMIT_ANSWERED_FINISHED.clientSide()).isFalse();
        // seen in a long run: the holder's commit waited 30 s on the killed node, its retry failed to connect
        TxRecord waitedThenSentToDeadNode = new TxRecord(
                TxRecord.Kind.AT,
                1,
                "x:4",
                "4",
                9_000 * MS,
                9_001 * MS,
                39_000 * MS,
                TxRecord.Outcome.FAILED,
                "commit",
                null,
                "TransactionException: Failed to report global commit <- FrameworkException: can not connect");
        assertThat(FailureClass.lockHolderWasWaiting(lockWait, java.util.List.of(lockWait, waitedThenSentToDeadNode)))
                .isTrue();
        TxRecord shortOneOpenThen = new TxRecord(
                TxRecord.Kind.AT,
                1,
                "x:5",
                "5",
                10_100 * MS,
                10_101 * MS,
                10_700 * MS,
                TxRecord.Outcome.COMMITTED,
                null,
                "Committed",
                null);
        assertThat(FailureClass.lockHolderWasWaiting(lockWait, java.util.List.of(lockWait, shortOneOpenThen)))
                .isFalse();
    }

    @Test
    void aCommittedTransactionHasNoFailureClass() {
        TxRecord ok = new TxRecord(
                TxRecord.Kind.AT, 0, "x", "1", 0, 0, MS, TxRecord.Outcome.COMMITTED, null, "Committed", null);
        assertThat(FailureClass.of(ok)).isNull();
    }

    @Test
    void aRequestFailedByItsClosedConnectionIsExplainedOnlyRightAfterAKill() {
        // seen in a full run: a TCC begin written 33 ms before the kill of the node it went to, failed 3 ms after it
        TxRecord closed = new TxRecord(
                TxRecord.Kind.TCC,
                2,
                null,
                "6",
                15_818 * MS,
                0,
                15_854 * MS,
                TxRecord.Outcome.FAILED,
                "begin",
                null,
                "RuntimeException: java.lang.RuntimeException: io.netty.channel.StacklessClosedChannelException"
                        + " <- StacklessClosedChannelException: null");
        assertThat(FailureClass.of(closed)).isEqualTo(FailureClass.CLIENT_CONNECTION_CLOSED_BY_KILL);
        assertThat(FailureClass.of(closed).clientSide()).isTrue();
        assertThat(FailureClass.endedRightAfterKill(closed, java.util.List.of(15_851 * MS)))
                .isTrue();
        assertThat(FailureClass.endedRightAfterKill(closed, java.util.List.of(14_000 * MS, 30_334 * MS)))
                .isFalse();
        assertThat(FailureClass.endedRightAfterKill(closed, java.util.List.of(15_900 * MS)))
                .isFalse();
    }

    @Test
    void aFailureIsExplainedOnlyByAClientSideClassWhoseContextHolds() {
        TxRecord closed = new TxRecord(
                TxRecord.Kind.TCC,
                2,
                null,
                "6",
                15_818 * MS,
                0,
                15_854 * MS,
                TxRecord.Outcome.FAILED,
                "begin",
                null,
                "StacklessClosedChannelException: null");
        assertThat(FailureClass.explained(closed, java.util.List.of(closed), java.util.List.of(15_851 * MS)))
                .isTrue();
        assertThat(FailureClass.explained(closed, java.util.List.of(closed), java.util.List.of(14_000 * MS)))
                .isFalse();
        TxRecord lockWait = new TxRecord(
                TxRecord.Kind.AT,
                1,
                "x",
                "7",
                20_000 * MS,
                20_001 * MS,
                20_500 * MS,
                TxRecord.Outcome.FAILED,
                "business",
                null,
                "LockConflictException: Global lock wait timeout");
        assertThat(FailureClass.explained(lockWait, java.util.List.of(lockWait), java.util.List.of()))
                .isFalse();
        TxRecord timedOut = new TxRecord(
                TxRecord.Kind.AT,
                0,
                "y",
                "8",
                10_000 * MS,
                0,
                40_000 * MS,
                TxRecord.Outcome.FAILED,
                "begin",
                null,
                "TimeoutException: null");
        assertThat(FailureClass.explained(timedOut, java.util.List.of(timedOut), java.util.List.of()))
                .isTrue();
        assertThat(FailureClass.explained(lockWait, java.util.List.of(lockWait, timedOut), java.util.List.of()))
                .isTrue();
        TxRecord other =
                new TxRecord(TxRecord.Kind.AT, 0, "z", "9", 0, 0, MS, TxRecord.Outcome.FAILED, "commit", null, "boom");
        assertThat(FailureClass.explained(other, java.util.List.of(other), java.util.List.of(0L)))
                .isFalse();
    }
}
