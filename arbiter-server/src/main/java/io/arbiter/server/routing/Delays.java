package io.arbiter.server.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

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

    /**
     * {@code future}'s outcome, or {@code fallback} if it has none {@code millis} from now. Implementations that
     * keep a timer drop it when {@code future} completes first: a wait that almost always ends early (one per
     * transaction end) must not leave a timer behind to fire later for nothing.
     */
    default <T> CompletableFuture<T> within(CompletableFuture<T> future, long millis, T fallback) {
        return bounded(future, millis, late -> late.complete(fallback));
    }

    /**
     * {@code future}'s outcome, or the failure {@code failure} gives if it has none {@code millis} from now (for
     * rare waits: the timer stays until it fires). {@code future} itself is left alone.
     */
    default <T> CompletableFuture<T> failAfter(
            CompletableFuture<T> future, long millis, Supplier<? extends Throwable> failure) {
        return bounded(future, millis, late -> late.completeExceptionally(failure.get()));
    }

    private <T> CompletableFuture<T> bounded(
            CompletableFuture<T> future, long millis, Consumer<CompletableFuture<T>> whenLate) {
        CompletableFuture<T> bounded = new CompletableFuture<>();
        future.whenComplete((value, error) -> {
            if (error == null) {
                bounded.complete(value);
            } else {
                bounded.completeExceptionally(error);
            }
        });
        if (!bounded.isDone()) {
            after(millis).thenRun(() -> whenLate.accept(bounded));
        }
        return bounded;
    }

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

        /** The JDK's {@code completeOnTimeout}: its timer is cancelled when the copy completes first. */
        @Override
        public <T> CompletableFuture<T> within(CompletableFuture<T> future, long millis, T fallback) {
            return future.copy().completeOnTimeout(fallback, millis, TimeUnit.MILLISECONDS);
        }
    };
}
