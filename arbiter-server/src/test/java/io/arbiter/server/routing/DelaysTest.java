package io.arbiter.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DelaysTest {

    /** The default {@link Delays#within}, on limits the test runs out by hand. */
    static final class HandDelays implements Delays {
        final CompletableFuture<Void> limit = new CompletableFuture<>();
        int timers;

        @Override
        public CompletableFuture<Void> after(long millis) {
            timers++;
            return limit;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }
    }

    @Test
    void withinGivesTheFuturesValueWhenItComesFirst() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> bounded = Delays.SYSTEM.within(slow, 10_000, "fallback");
        assertThat(bounded).isNotDone();
        slow.complete("value");
        assertThat(bounded.get(1, TimeUnit.SECONDS)).isEqualTo("value");

        HandDelays hand = new HandDelays();
        CompletableFuture<String> slow2 = new CompletableFuture<>();
        CompletableFuture<String> bounded2 = hand.within(slow2, 10_000, "fallback");
        slow2.complete("value");
        hand.limit.complete(null);
        assertThat(bounded2.join()).isEqualTo("value");
    }

    @Test
    void withinGivesTheFallbackWhenTheTimeRunsOut() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        assertThat(Delays.SYSTEM.within(never, 50, "fallback").get(5, TimeUnit.SECONDS))
                .isEqualTo("fallback");
        assertThat(never).as("the awaited future itself is left alone").isNotDone();

        HandDelays hand = new HandDelays();
        CompletableFuture<String> bounded = hand.within(new CompletableFuture<String>(), 10_000, "fallback");
        assertThat(bounded).isNotDone();
        hand.limit.complete(null);
        assertThat(bounded.join()).isEqualTo("fallback");
    }

    @Test
    void aFutureAlreadyDoneNeedsNoTimer() {
        HandDelays hand = new HandDelays();
        assertThat(hand.within(CompletableFuture.completedFuture("done"), 10_000, "fallback")
                        .join())
                .isEqualTo("done");
        assertThat(hand.timers).isZero();
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("no"));
        assertThat(hand.within(failed, 10_000, "fallback")).isCompletedExceptionally();
    }

    @Test
    void failAfterFailsWithItsOwnFailureWhenTheTimeRunsOut() {
        HandDelays hand = new HandDelays();
        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> bounded =
                hand.failAfter(never, 10_000, () -> new IllegalStateException("no answer in time"));
        assertThat(bounded).isNotDone();
        hand.limit.complete(null);
        assertThat(bounded)
                .failsWithin(java.time.Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(IllegalStateException.class)
                .withMessage("no answer in time");
        assertThat(never).as("the awaited future itself is left alone").isNotDone();
    }

    @Test
    void failAfterGivesTheFuturesOutcomeWhenItComesFirst() {
        HandDelays hand = new HandDelays();
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> bounded = hand.failAfter(slow, 10_000, () -> new IllegalStateException("late"));
        slow.complete("value");
        hand.limit.complete(null);
        assertThat(bounded.join()).isEqualTo("value");
        assertThat(hand.failAfter(CompletableFuture.completedFuture("done"), 10_000, IllegalStateException::new)
                        .join())
                .isEqualTo("done");
        assertThat(hand.timers).as("no timer for a future already done").isEqualTo(1);
    }
}
