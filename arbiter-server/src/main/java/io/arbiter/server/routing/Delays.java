package io.arbiter.server.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the server's pauses and hand-offs come from: retry delays, outcome waits, work moved off the caller's
 * stack. Production uses {@link #SYSTEM} (the JDK's delayed executor and async pool, exactly what the callers used
 * before); a deterministic simulation passes one driven by its virtual clock and event queue.
 *
 * <p>Threading: implementations are thread-safe and never block.
 */
public interface Delays {

    /** Completes (normally, with null) about {@code millis} from now. */
    CompletableFuture<Void> after(long millis);

    /** Runs {@code task} soon, not on the caller's stack. */
    void execute(Runnable task);

    /** Wall-clock delays on the JDK's default async pool. */
    Delays SYSTEM = new Delays() {
        @Override
        public CompletableFuture<Void> after(long millis) {
            return CompletableFuture.runAsync(
                    () -> {}, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
        }

        @Override
        public void execute(Runnable task) {
            CompletableFuture.runAsync(task);
        }
    };
}
