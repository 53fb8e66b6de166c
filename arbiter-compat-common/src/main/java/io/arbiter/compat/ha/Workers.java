package io.arbiter.compat.ha;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Load worker threads: waiting for them to finish their current transaction after they were told to stop. */
public final class Workers {
    private Workers() {}

    /** Waits for every thread, at most {@code wait} in all; fails naming those still running. */
    public static void join(List<Thread> threads, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        List<String> stuck =
                threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        if (!stuck.isEmpty()) {
            throw new IllegalStateException("workers still in a transaction " + wait + " after stop: " + stuck);
        }
    }
}
