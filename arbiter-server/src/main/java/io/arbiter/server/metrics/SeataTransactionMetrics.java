package io.arbiter.server.metrics;

import io.arbiter.core.model.GlobalStatus;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This node's {@code seata_transaction} series, fed by the fragments it leads: begun and ended transactions per
 * {@link TransactionLabels}, and {@code status="active"} as the live transactions of the fragments led here (so that
 * it stays right across leader changes, where Seata's in-process counter would drift).
 *
 * <p>Threading: {@link #ended} from fragments' apply threads (a map look-up and adders, no lock on a known label
 * pair); {@link #write} from the scraping thread.
 */
final class SeataTransactionMetrics {
    private static final Comparator<TransactionLabels> ORDER =
            Comparator.comparing(TransactionLabels::applicationId).thenComparing(TransactionLabels::group);
    private final Map<TransactionLabels, SeataTransactionSeries> series = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final Supplier<? extends Collection<FragmentMeters>> fragments;

    /** @param fragments the meters of the fragments on this node, whose live transactions make the active count */
    SeataTransactionMetrics(LongSupplier clock, Supplier<? extends Collection<FragmentMeters>> fragments) {
        this.clock = clock;
        this.fragments = fragments;
    }

    /** A transaction began in a fragment led here: its labels get series. */
    void begun(TransactionLabels labels) {
        of(labels);
    }

    /** A transaction ended in a fragment led here. */
    void ended(TransactionLabels labels, GlobalStatus status, long beganAtMillis) {
        long now = clock.getAsLong();
        of(labels).ended(status, Math.max(0, now - beganAtMillis));
    }

    private SeataTransactionSeries of(TransactionLabels labels) {
        SeataTransactionSeries s = series.get(labels);
        return s != null ? s : series.computeIfAbsent(labels, k -> new SeataTransactionSeries(clock.getAsLong()));
    }

    /** Appends the series (summaries and timers start a new window). */
    void write(StringBuilder out) {
        long now = clock.getAsLong();
        Map<TransactionLabels, Long> active = new HashMap<>();
        for (FragmentMeters f : fragments.get()) {
            f.liveByLabels().forEach((labels, n) -> active.merge(labels, n, Long::sum));
        }
        for (TransactionLabels labels : active.keySet()) {
            of(labels);
        }
        if (series.isEmpty()) {
            return;
        }
        SeataExposition e = SeataExposition.transactions(out, now);
        Map<TransactionLabels, SeataTransactionSeries> sorted = new TreeMap<>(ORDER);
        sorted.putAll(series);
        sorted.forEach((labels, s) -> {
            e.counter(labels, "active", active.getOrDefault(labels, 0L));
            e.counter(labels, "committed", s.committed.sum());
            e.counter(labels, "rollbacked", s.rollbacked.sum());
            e.counter(labels, "AfterCommitted", s.afterCommitted.sum());
            e.counter(labels, "AfterRollbacked", s.afterRollbacked.sum());
            e.summary(labels, "committed", s.committedSummary.drain(now));
            e.summary(labels, "rollbacked", s.rollbackedSummary.drain(now));
            e.summary(labels, "failed", s.failedSummary.drain(now));
            e.summary(labels, "2phaseTimeout", s.twoPhaseTimeoutSummary.drain(now));
            e.summary(labels, "AfterCommitted", s.afterCommittedSummary.drain(now));
            e.summary(labels, "AfterRollbacked", s.afterRollbackedSummary.drain(now));
            e.timer(labels, "committed", s.committedTimer.drain());
            e.timer(labels, "rollbacked", s.rollbackedTimer.drain());
            e.timer(labels, "failed", s.failedTimer.drain());
            e.timer(labels, "AfterCommitted", s.afterCommittedTimer.drain());
            e.timer(labels, "AfterRollbacked", s.afterRollbackedTimer.drain());
        });
    }
}
