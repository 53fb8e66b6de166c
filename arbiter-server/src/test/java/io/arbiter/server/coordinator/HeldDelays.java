package io.arbiter.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.server.routing.Delays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@link Delays} whose time limits run out only when a test completes them; tasks run on the common pool. */
final class HeldDelays implements Delays {
    final List<CompletableFuture<Void>> limits = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> after(long millis) {
        CompletableFuture<Void> limit = new CompletableFuture<>();
        limits.add(limit);
        return limit;
    }

    @Override
    public void execute(Runnable task) {
        CompletableFuture.runAsync(task);
    }

    /** Waits (up to 5 s) until at least one time limit was asked for. */
    void awaitLimit() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limits.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(limits).isNotEmpty();
    }

    /** Every time limit asked for so far runs out now. */
    void expireAll() {
        limits.forEach(limit -> limit.complete(null));
    }
}
