package io.arbiter.server.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram with fixed buckets (upper bounds from 0.1 ms to 60 s, four per power of ten-ish:
 * 1, 2, 5 steps), cumulative since start. Readers take differences between two reads to get the percentiles of an
 * interval (the web console's overview does so in the browser).
 *
 * <p>Threading: {@link #record} from any thread (an adder per bucket); {@link #counts} from any thread.
 */
public final class LatencyHistogram {
    /** Upper bounds of the buckets in milliseconds; a last, open bucket holds everything slower. */
    public static final double[] BOUNDS_MS = {
        0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 60_000
    };

    private static final long[] BOUNDS_NANOS = new long[BOUNDS_MS.length];

    static {
        for (int i = 0; i < BOUNDS_MS.length; i++) {
            BOUNDS_NANOS[i] = (long) (BOUNDS_MS[i] * 1_000_000);
        }
    }

    private final LongAdder[] buckets = new LongAdder[BOUNDS_MS.length + 1];

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void record(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
    }

    /** The count in each bucket (one more than {@link #BOUNDS_MS}: the last is the open one). */
    public long[] counts() {
        long[] out = new long[buckets.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = buckets[i].sum();
        }
        return out;
    }
}
