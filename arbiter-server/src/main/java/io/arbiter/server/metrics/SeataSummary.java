package io.arbiter.server.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Seata "summary" meter: how many events since the last scrape ({@code count}), their summed amounts
 * ({@code total}) and the amount per second over that window ({@code tps}). Each scrape reads the window and starts a
 * new one, as Seata's compact registry does.
 *
 * <p>Threading: {@link #increase} from any thread, lock-free; {@link #drain} from the scraping thread.
 */
final class SeataSummary {
    private volatile Window window;

    SeataSummary(long nowMillis) {
        window = new Window(nowMillis);
    }

    void increase(long amount) {
        Window w = window;
        w.count.increment();
        w.total.add(amount);
    }

    /** The window that ends now; a new one begins. */
    Reading drain(long nowMillis) {
        Window w = window;
        window = new Window(nowMillis);
        long count = w.count.sum();
        long total = w.total.sum();
        double tps = nowMillis <= w.start ? 0 : total * 1000.0 / (nowMillis - w.start);
        return new Reading(count, total, tps);
    }

    record Reading(long count, long total, double tps) {}

    private static final class Window {
        final long start;
        final LongAdder count = new LongAdder();
        final LongAdder total = new LongAdder();

        Window(long start) {
            this.start = start;
        }
    }
}
