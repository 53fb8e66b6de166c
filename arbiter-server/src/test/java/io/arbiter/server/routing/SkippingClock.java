package io.arbiter.server.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake clock for routing tests whose {@link Delays} do not wait: a delay moves the clock on by its length and
 * completes at once, and tasks run on the caller's thread. Retries and deadlines then play out instantly, in order.
 */
final class SkippingClock implements Delays {
    private final AtomicLong now;

    SkippingClock(long startMillis) {
        this.now = new AtomicLong(startMillis);
    }

    long now() {
        return now.get();
    }

    @Override
    public CompletableFuture<Void> after(long millis) {
        now.addAndGet(millis);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }
}
