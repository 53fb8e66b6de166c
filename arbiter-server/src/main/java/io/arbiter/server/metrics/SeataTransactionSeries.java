package io.arbiter.server.metrics;

import io.arbiter.core.model.GlobalStatus;
import java.util.concurrent.atomic.LongAdder;

/**
 * Seata's TC transaction meters for one {@link TransactionLabels} pair: the running counters (committed,
 * rollbacked, AfterCommitted, AfterRollbacked), the per-scrape summaries and timers, fed with ended transactions the
 * way Seata's {@code MetricsSubscriber} reacts to a session's end in file or raft mode:
 * <ul>
 *   <li>Committed: committed counter, summary and timer (begin to end); AfterCommitted counter, summary and timer;</li>
 *   <li>Rollbacked: the same for rollbacked and AfterRollbacked;</li>
 *   <li>TimeoutRollbacked: AfterRollbacked only;</li>
 *   <li>CommitFailed, RollbackFailed: failed summary and timer;</li>
 *   <li>TimeoutRollbackFailed, CommitRetryTimeout: 2phaseTimeout summary;</li>
 *   <li>others (RollbackRetryTimeout, a Saga report's Finished): nothing but the end of the active count.</li>
 * </ul>
 * Seata times AfterCommitted/AfterRollbacked from the moment it starts ending the session; Arbiter ends it within the
 * apply of the last branch's outcome, so those timers record 0 ms.
 *
 * <p>Threading: fed from fragments' apply threads, lock-free; drained by the scraping thread.
 */
final class SeataTransactionSeries {
    final LongAdder committed = new LongAdder();
    final LongAdder rollbacked = new LongAdder();
    final LongAdder afterCommitted = new LongAdder();
    final LongAdder afterRollbacked = new LongAdder();
    final SeataSummary committedSummary;
    final SeataSummary rollbackedSummary;
    final SeataSummary failedSummary;
    final SeataSummary twoPhaseTimeoutSummary;
    final SeataSummary afterCommittedSummary;
    final SeataSummary afterRollbackedSummary;
    final SeataTimer committedTimer = new SeataTimer();
    final SeataTimer rollbackedTimer = new SeataTimer();
    final SeataTimer failedTimer = new SeataTimer();
    final SeataTimer afterCommittedTimer = new SeataTimer();
    final SeataTimer afterRollbackedTimer = new SeataTimer();

    SeataTransactionSeries(long nowMillis) {
        committedSummary = new SeataSummary(nowMillis);
        rollbackedSummary = new SeataSummary(nowMillis);
        failedSummary = new SeataSummary(nowMillis);
        twoPhaseTimeoutSummary = new SeataSummary(nowMillis);
        afterCommittedSummary = new SeataSummary(nowMillis);
        afterRollbackedSummary = new SeataSummary(nowMillis);
    }

    /** A transaction ended with {@code status}, {@code millis} after it began. */
    void ended(GlobalStatus status, long millis) {
        switch (status) {
            case Committed -> {
                committed.increment();
                committedSummary.increase(1);
                committedTimer.record(millis);
                afterCommitted.increment();
                afterCommittedSummary.increase(1);
                afterCommittedTimer.record(0);
            }
            case Rollbacked -> {
                rollbacked.increment();
                rollbackedSummary.increase(1);
                rollbackedTimer.record(millis);
                afterRolledBack();
            }
            case TimeoutRollbacked -> afterRolledBack();
            case CommitFailed, RollbackFailed -> {
                failedSummary.increase(1);
                failedTimer.record(millis);
            }
            case TimeoutRollbackFailed, CommitRetryTimeout -> twoPhaseTimeoutSummary.increase(1);
            default -> {}
        }
    }

    private void afterRolledBack() {
        afterRollbacked.increment();
        afterRollbackedSummary.increase(1);
        afterRollbackedTimer.record(0);
    }
}
