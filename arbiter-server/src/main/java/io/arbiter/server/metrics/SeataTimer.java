package io.arbiter.server.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Seata "timer" meter: how many durations since the last scrape ({@code count}), and their total, maximum and
 * average in milliseconds (kept in microseconds, as Seata's compact registry does). Each scrape reads the window and
 * starts a new one.
 *
 * <p>Threading: {@link #record} from any thread, lock-free; {@link #drain} from the scraping thread.
 */
final class SeataTimer {
    private volatile Window window = new Window();

    void record(long millis) {
        if (millis < 0) {
            return;
        }
        long micros = millis * 1000;
        Window w = window;
        w.count.increment();
        w.totalMicros.add(micros);
        w.maxMicros.accumulateAndGet(micros, Math::max);
    }

    /** The window that ends now; a new one begins. */
    Reading drain() {
        Window w = window;
        window = new Window();
        long count = w.count.sum();
        double total = w.totalMicros.sum() * 0.001;
        return new Reading(count, total, w.maxMicros.get() * 0.001, count == 0 ? 0 : total / count);
    }

    /** Milliseconds, except {@code count}. */
    record Reading(long count, double total, double max, double average) {}

    private static final class Window {
        final LongAdder count = new LongAdder();
        final LongAdder totalMicros = new LongAdder();
        final AtomicLong maxMicros = new AtomicLong();
    }
}
