package io.arbiter.bench.spike;

import io.arbiter.bench.load.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * A closed-loop load ({@code threads} threads, one transaction at a time each) whose latencies go into one
 * histogram per wall-clock window. Windows are aligned on multiples of {@code windowMs} since the epoch and keyed by
 * their start, so that they can be set against the times in the node's log. A transaction counts in the window in
 * which it completed; the measured period starts at the first window boundary after the warm-up and holds
 * {@code round(duration / window)} whole windows.
 *
 * <p>Wall-clock times are {@code System.currentTimeMillis()} taken once at {@link #start} plus the
 * {@code System.nanoTime()} elapsed since (monotonic, immune to clock steps during the run).
 */
public final class WindowedLoad {
    private static final int MAX_ERROR_SAMPLES = 8;

    private final Workload workload;
    private final int threads;
    private final long windowMs;
    private final Map<String, Long> errorSamples = new LinkedHashMap<>();
    private long baseMs;
    private long baseNanos;
    private long fromMs;
    private long toMs;
    private ConcurrentHistogram[] histograms;
    private AtomicLongArray errors;
    private CountDownLatch done;

    public WindowedLoad(Workload workload, int threads, long windowMs) {
        if (threads < 1 || windowMs < 1) {
            throw new IllegalArgumentException("threads and windowMs must be >= 1");
        }
        this.workload = workload;
        this.threads = threads;
        this.windowMs = windowMs;
    }

    /** Starts the load threads now; the measured period begins after {@code warmupS}. */
    public void start(double warmupS, double durationS) {
        baseNanos = System.nanoTime();
        baseMs = System.currentTimeMillis();
        long warmEnd = baseMs + (long) (warmupS * 1000);
        fromMs = Math.floorDiv(warmEnd + windowMs - 1, windowMs) * windowMs;
        int n = (int) Math.max(1, Math.round(durationS * 1000 / windowMs));
        toMs = fromMs + n * windowMs;
        histograms = new ConcurrentHistogram[n];
        for (int i = 0; i < n; i++) {
            histograms[i] = new ConcurrentHistogram(3);
        }
        errors = new AtomicLongArray(n);
        done = new CountDownLatch(threads);
        long endNanos = nanosAt(toMs);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            loop(endNanos);
                        } finally {
                            done.countDown();
                        }
                    },
                    "spike-load-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    private void loop(long endNanos) {
        while (true) {
            long begin = System.nanoTime();
            if (begin >= endNanos) {
                return;
            }
            boolean ok;
            try {
                workload.runOne();
                ok = true;
            } catch (Throwable t) {
                ok = false;
                sample(t);
            }
            long end = System.nanoTime();
            long wall = wallMs(end);
            if (wall >= fromMs && wall < toMs) {
                int idx = (int) ((wall - fromMs) / windowMs);
                if (ok) {
                    histograms[idx].recordValue(Math.max(1, (end - begin) / 1000));
                } else {
                    errors.incrementAndGet(idx);
                }
            }
        }
    }

    private synchronized void sample(Throwable t) {
        String text = (t.getClass().getSimpleName() + ": " + t.getMessage()).replaceAll("\\d+", "#");
        if (errorSamples.containsKey(text) || errorSamples.size() < MAX_ERROR_SAMPLES) {
            errorSamples.merge(text, 1L, Long::sum);
        }
    }

    long wallMs(long nanoTime) {
        return baseMs + Math.floorDiv(nanoTime - baseNanos, 1_000_000L);
    }

    private long nanosAt(long wallMs) {
        return baseNanos + (wallMs - baseMs) * 1_000_000L;
    }

    public long measuredFromMs() {
        return fromMs;
    }

    public long measuredToMs() {
        return toMs;
    }

    /** Sleeps until the wall-clock time {@code wallMs} on this load's clock. */
    public void sleepUntil(long wallMs) throws InterruptedException {
        long target = nanosAt(wallMs);
        long left;
        while ((left = target - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
        }
    }

    /**
     * Waits for the threads to finish (each completes its transaction in flight) and returns the windows; if some
     * are still busy after {@code timeoutS}, says so in {@link #errorSamples} and returns what was recorded.
     */
    public List<SpikeAnalysis.Window> await(long timeoutS) throws InterruptedException {
        if (!done.await(timeoutS, TimeUnit.SECONDS)) {
            sample(new IllegalStateException("load threads still busy " + timeoutS + " s after the period ended"));
        }
        List<SpikeAnalysis.Window> windows = new ArrayList<>();
        for (int i = 0; i < histograms.length; i++) {
            windows.add(new SpikeAnalysis.Window(fromMs + i * windowMs, histograms[i].copy(), errors.get(i)));
        }
        return windows;
    }

    /** The first few distinct errors (digits masked), with a count each; empty if none. */
    public synchronized List<String> errorSamples() {
        return errorSamples.entrySet().stream()
                .map(e -> e.getValue() + "x " + e.getKey())
                .toList();
    }
}
