package io.arbiter.server.coordinator;

import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.result.Result;
import io.arbiter.server.routing.Delays;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs a call again, after a short pause, while it is refused for a reason that passes by itself (slots that moved, a
 * lock leader still rebuilding its table, a grant a newer leader voided), until a deadline; then the last answer
 * stands. The pause comes from {@link Delays}, so simulations run it in virtual time.
 *
 * <p>Threading: stateless; the attempts run on whatever thread completes the previous one or the pause.
 */
final class RetryWhileRefused {
    private RetryWhileRefused() {}

    /**
     * @param attempt makes one call (again each time: it may read the map or the time left anew)
     * @param passing which refusals are worth another attempt
     * @param pauseMs the wait before each further attempt
     * @param deadline a refusal at or after this time (of {@code clock}) is the answer; one before it is tried again
     */
    static CompletableFuture<Result> run(
            Supplier<CompletableFuture<Result>> attempt,
            Predicate<ErrorCode> passing,
            long pauseMs,
            long deadline,
            LongSupplier clock,
            Delays delays) {
        return attempt.get().thenCompose(res -> {
            if (res instanceof Result.Rejected r && passing.test(r.code()) && clock.getAsLong() < deadline) {
                return delays.after(pauseMs)
                        .thenCompose(ignored -> run(attempt, passing, pauseMs, deadline, clock, delays));
            }
            return CompletableFuture.completedFuture(res);
        });
    }
}
