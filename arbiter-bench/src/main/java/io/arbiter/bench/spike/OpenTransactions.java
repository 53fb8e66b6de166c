package io.arbiter.bench.spike;

import io.seata.core.context.RootContext;
import io.seata.tm.api.GlobalTransaction;
import io.seata.tm.api.GlobalTransactionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Begins global transactions through the real Seata 2.0 TM client (initialised by the caller) and leaves them open:
 * begin, then unbind the XID from the thread, never commit. The coordinator keeps each until its timeout.
 */
public final class OpenTransactions {
    private OpenTransactions() {}

    /** What {@link #open} did. */
    public record Outcome(int opened, int failed, double seconds, String firstError) {}

    /**
     * Opens {@code count} transactions on {@code threads} threads, each with {@code timeoutMs}; returns when all
     * were attempted (a failed begin is counted, not retried).
     */
    public static Outcome open(int count, int threads, int timeoutMs, String name) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < Math.max(1, threads); i++) {
            Thread t = new Thread(
                    () -> {
                        while (next.getAndIncrement() < count) {
                            GlobalTransaction tx = GlobalTransactionContext.createNew();
                            try {
                                tx.begin(timeoutMs, name);
                                opened.incrementAndGet();
                            } catch (Exception e) {
                                failed.incrementAndGet();
                                firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                            } finally {
                                RootContext.unbind();
                            }
                        }
                    },
                    "open-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        return new Outcome(opened.get(), failed.get(), (System.nanoTime() - start) / 1e9, firstError.get());
    }
}
