package io.arbiter.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.result.Result;
import io.arbiter.server.routing.Delays;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Passing refusals are tried again after the pause until the deadline; anything else is the answer at once. */
class RetryWhileRefusedTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<Long> pauses = new ArrayList<>();
    /** Every pause passes at once, moving the clock on by its length. */
    private final Delays delays = new Delays() {
        @Override
        public CompletableFuture<Void> after(long millis) {
            pauses.add(millis);
            now.addAndGet(millis);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }
    };

    private static Result refused(ErrorCode code) {
        return new Result.Rejected(code, "refused", null);
    }

    private CompletableFuture<Result> run(Deque<Result> answers, long deadline, List<Long> attemptsAt) {
        return RetryWhileRefused.run(
                () -> {
                    attemptsAt.add(now.get());
                    return CompletableFuture.completedFuture(answers.isEmpty() ? answers.peekLast() : answers.poll());
                },
                code -> code == ErrorCode.LockTableNotReady,
                100,
                deadline,
                now::get,
                delays);
    }

    @Test
    void aPassingRefusalIsTriedAgainAfterThePauseUntilAnotherAnswer() {
        Result ok = new Result.Done();
        Deque<Result> answers = new ArrayDeque<>(
                List.of(refused(ErrorCode.LockTableNotReady), refused(ErrorCode.LockTableNotReady), ok));
        List<Long> attemptsAt = new ArrayList<>();
        assertThat(run(answers, 5_000, attemptsAt).join()).isSameAs(ok);
        assertThat(attemptsAt).containsExactly(1_000L, 1_100L, 1_200L);
        assertThat(pauses).containsExactly(100L, 100L);
    }

    @Test
    void anotherRefusalIsTheAnswerAtOnce() {
        Result conflict = refused(ErrorCode.LockKeyConflict);
        List<Long> attemptsAt = new ArrayList<>();
        assertThat(run(new ArrayDeque<>(List.of(conflict)), 5_000, attemptsAt).join())
                .isSameAs(conflict);
        assertThat(attemptsAt).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void noFurtherAttemptIsScheduledOnceTheDeadlinePassed() {
        Result notReady = refused(ErrorCode.LockTableNotReady);
        Deque<Result> answers = new ArrayDeque<>();
        for (int i = 0; i < 100; i++) {
            answers.add(notReady);
        }
        List<Long> attemptsAt = new ArrayList<>();
        assertThat(run(answers, 1_350, attemptsAt).join()).isSameAs(notReady);
        // refused at 1,300 (before the deadline): one more after the pause; refused at 1,400: that is the answer
        assertThat(attemptsAt).containsExactly(1_000L, 1_100L, 1_200L, 1_300L, 1_400L);
    }
}
