package io.arbiter.bench.spike;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * The pure part of the snapshot-spike measurement: which windows overlap a snapshot, and how the p99 of those
 * compares with the p99 of the others. Latencies are in microseconds, times in epoch milliseconds.
 *
 * <p>A window {@code [start, start + windowMs)} is "with snapshot" when it overlaps the interval a snapshot
 * occupied, {@code [writeStart - captureMargin, writeEnd]}: the node logs the write's end and duration; the capture
 * on the apply thread ran just before the write started and is not timed, so the margin stands for it.
 */
public final class SpikeAnalysis {
    /** Percentile compared between the two groups. */
    public static final double PERCENTILE = 99.0;

    private SpikeAnalysis() {}

    /**
     * One snapshot the node wrote.
     *
     * @param bytes        file size, -1 if unknown
     * @param writeMs      write duration as the node logged it, null if unknown (seen from files only)
     * @param writeStartMs when the write began (end - duration, or when its temporary file appeared)
     * @param writeEndMs   when the write finished
     * @param source       {@code log} or {@code files}
     */
    public record Snapshot(long index, long bytes, Long writeMs, long writeStartMs, long writeEndMs, String source) {
        /** The interval the snapshot occupied, capture included. */
        public long occupiedFromMs(long captureMarginMs) {
            return writeStartMs - captureMarginMs;
        }

        public boolean overlaps(long fromMs, long toExclusiveMs, long captureMarginMs) {
            return occupiedFromMs(captureMarginMs) < toExclusiveMs && writeEndMs >= fromMs;
        }
    }

    /** The latencies (µs) of the transactions that completed in {@code [startMs, startMs + windowMs)}. */
    public record Window(long startMs, AbstractHistogram histogram, long errors) {}

    /** What the report shows of one window. */
    public record WindowSummary(long startMs, long transactions, long errors, double p99Ms, boolean withSnapshot) {}

    /**
     * The outcome.
     *
     * @param ratio   p99 with / p99 without; null when either group has no transaction
     * @param failure why the measurement failed or is invalid; null when {@link #ok()}
     */
    public record Result(
            List<Snapshot> snapshotsInPeriod,
            List<WindowSummary> windows,
            int windowsWith,
            int windowsWithout,
            int windowsEmpty,
            long transactionsWith,
            long transactionsWithout,
            double p99WithMs,
            double p99WithoutMs,
            Double ratio,
            double worstWindowP99WithMs,
            double worstWindowP99WithoutMs,
            long transactions,
            long errors,
            double maxRatio,
            String failure) {
        public boolean ok() {
            return failure == null;
        }

        /** The same result, failed with {@code problem} as well (a check made outside the analysis). */
        public Result withProblem(String problem) {
            return new Result(
                    snapshotsInPeriod,
                    windows,
                    windowsWith,
                    windowsWithout,
                    windowsEmpty,
                    transactionsWith,
                    transactionsWithout,
                    p99WithMs,
                    p99WithoutMs,
                    ratio,
                    worstWindowP99WithMs,
                    worstWindowP99WithoutMs,
                    transactions,
                    errors,
                    maxRatio,
                    failure == null ? problem : failure + "; " + problem);
        }
    }

    /** Whether the window starting at {@code startMs} overlaps any of the snapshots. */
    public static boolean withSnapshot(long startMs, long windowMs, List<Snapshot> snapshots, long captureMarginMs) {
        for (Snapshot s : snapshots) {
            if (s.overlaps(startMs, startMs + windowMs, captureMarginMs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Classifies the windows and compares the groups. The measured period is {@code [first window's start, last
     * window's end)}; only snapshots overlapping it count. Invalid (never ok): no window, no snapshot in the period,
     * or a group without any transaction. Failed: the ratio exceeds {@code maxRatio}.
     */
    public static Result analyze(
            List<Window> windows, long windowMs, List<Snapshot> snapshots, long captureMarginMs, double maxRatio) {
        if (windowMs <= 0) {
            throw new IllegalArgumentException("windowMs must be > 0");
        }
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingLong(Window::startMs));
        long periodFrom = sorted.isEmpty() ? 0 : sorted.get(0).startMs();
        long periodTo = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1).startMs() + windowMs;
        List<Snapshot> inPeriod = snapshots.stream()
                .filter(s -> s.overlaps(periodFrom, periodTo, captureMarginMs))
                .sorted(Comparator.comparingLong(Snapshot::writeEndMs))
                .toList();

        Histogram with = new Histogram(3);
        Histogram without = new Histogram(3);
        List<WindowSummary> summaries = new ArrayList<>();
        int nWith = 0;
        int nWithout = 0;
        int nEmpty = 0;
        double worstWith = 0;
        double worstWithout = 0;
        long errors = 0;
        for (Window w : sorted) {
            boolean hit = withSnapshot(w.startMs(), windowMs, inPeriod, captureMarginMs);
            long count = w.histogram().getTotalCount();
            double p99 = count == 0 ? 0 : ms(w.histogram().getValueAtPercentile(PERCENTILE));
            summaries.add(new WindowSummary(w.startMs(), count, w.errors(), p99, hit));
            errors += w.errors();
            if (count == 0) {
                nEmpty++;
            }
            if (hit) {
                nWith++;
                with.add(w.histogram());
                worstWith = Math.max(worstWith, p99);
            } else {
                nWithout++;
                without.add(w.histogram());
                worstWithout = Math.max(worstWithout, p99);
            }
        }
        double p99With = with.getTotalCount() == 0 ? 0 : ms(with.getValueAtPercentile(PERCENTILE));
        double p99Without = without.getTotalCount() == 0 ? 0 : ms(without.getValueAtPercentile(PERCENTILE));
        Double ratio = with.getTotalCount() == 0 || without.getTotalCount() == 0 || p99Without <= 0
                ? null
                : round(p99With / p99Without, 3);

        String failure = null;
        if (sorted.isEmpty()) {
            failure = "no measured window";
        } else if (inPeriod.isEmpty()) {
            failure = "no snapshot was observed during the measured period; the measurement is invalid (check "
                    + "arbiter.snapshot-interval-s and the node's log)";
        } else if (nWithout == 0) {
            failure = "every window overlaps a snapshot; the measurement is invalid (raise --snapshot-every-s or "
                    + "lower --window-ms)";
        } else if (with.getTotalCount() == 0 || without.getTotalCount() == 0) {
            failure = "no transaction completed in the windows " + (with.getTotalCount() == 0 ? "with" : "without")
                    + " a snapshot; the measurement is invalid";
        } else if (ratio != null && ratio > maxRatio) {
            failure = String.format(
                    java.util.Locale.ROOT,
                    "p99 of the windows with a snapshot (%.3f ms) is %.2f× the p99 without (%.3f ms) > %.2f×",
                    p99With,
                    ratio,
                    p99Without,
                    maxRatio);
        }
        return new Result(
                inPeriod,
                List.copyOf(summaries),
                nWith,
                nWithout,
                nEmpty,
                with.getTotalCount(),
                without.getTotalCount(),
                p99With,
                p99Without,
                ratio,
                worstWith,
                worstWithout,
                with.getTotalCount() + without.getTotalCount(),
                errors,
                maxRatio,
                failure);
    }

    static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
