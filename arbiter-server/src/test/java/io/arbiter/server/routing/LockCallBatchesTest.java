package io.arbiter.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.result.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LockCallBatchesTest {
    private record Sent(int fragmentId, Command command, Duration within, CompletableFuture<Result> answer) {}

    private final List<Sent> sent = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final LockCallBatches batches = new LockCallBatches(
            (f, command, within) -> {
                CompletableFuture<Result> answer = new CompletableFuture<>();
                sent.add(new Sent(f, command, within, answer));
                return answer;
            },
            clock::get);

    private static Command.AcquireLocks acquire(long tx) {
        return new Command.AcquireLocks(tx, "x:" + tx, "r", List.of("r^^^t^^^" + tx), 0, tx);
    }

    private static Result taken(long tx) {
        return new Result.LocksTaken(List.of("r^^^t^^^" + tx), 3);
    }

    @Test
    void callsThatComeWhileOneIsOnTheWayLeaveAsOneBatchInOrder() throws Exception {
        CompletableFuture<Result> first = batches.submit(0, acquire(1), Duration.ofSeconds(8));
        CompletableFuture<Result> second = batches.submit(0, acquire(2), Duration.ofSeconds(8));
        CompletableFuture<Result> third =
                batches.submit(0, new Command.ReleaseLocks(3, List.of()), Duration.ofSeconds(8));
        CompletableFuture<Result> elsewhere = batches.submit(5, acquire(4), Duration.ofSeconds(8));

        assertThat(sent).hasSize(2); // one on the way to each fragment
        assertThat(sent.get(0).command()).isEqualTo(acquire(1)); // alone: the plain command
        assertThat(sent.get(1).fragmentId()).isEqualTo(5);
        sent.get(0).answer().complete(taken(1));
        assertThat(first.get()).isEqualTo(taken(1));

        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).command())
                .isEqualTo(new Command.LockBatch(List.of(acquire(2), new Command.ReleaseLocks(3, List.of()))));
        assertThat(second).isNotDone();
        sent.get(2).answer().complete(new Result.Batch(List.of(taken(2), Result.Done.INSTANCE)));
        assertThat(second.get()).isEqualTo(taken(2));
        assertThat(third.get()).isEqualTo(Result.Done.INSTANCE);
        assertThat(elsewhere).isNotDone();
        // the metrics' view: four calls sent in three batches
        assertThat(batches.stats().calls()).isEqualTo(4);
        assertThat(batches.stats().batches()).isEqualTo(3);
    }

    @Test
    void aBatchGetsItsEarliestDeadlineAndACallPastItsOwnIsNotSent() throws Exception {
        batches.submit(0, acquire(1), Duration.ofSeconds(8));
        CompletableFuture<Result> shortLived = batches.submit(0, acquire(2), Duration.ofMillis(500));
        CompletableFuture<Result> late = batches.submit(0, acquire(3), Duration.ofSeconds(8));
        clock.addAndGet(200);
        CompletableFuture<Result> later = batches.submit(0, acquire(4), Duration.ofSeconds(2));
        sent.get(0).answer().complete(taken(1));
        assertThat(sent.get(1).within()).isEqualTo(Duration.ofMillis(300));

        CompletableFuture<Result> expiring = batches.submit(0, acquire(5), Duration.ofMillis(100));
        clock.addAndGet(1_000);
        sent.get(1).answer().complete(new Result.Batch(List.of(taken(2), taken(3), taken(4))));
        assertThat(shortLived.get()).isEqualTo(taken(2));
        assertThat(late.get()).isEqualTo(taken(3));
        assertThat(later.get()).isEqualTo(taken(4));
        assertThat(expiring).isCompletedExceptionally();
        assertThat(sent).hasSize(2);
    }

    @Test
    void aFailedBatchFailsEveryCallAndTheNextOnesStillLeave() {
        batches.submit(0, acquire(1), Duration.ofSeconds(8));
        CompletableFuture<Result> a = batches.submit(0, acquire(2), Duration.ofSeconds(8));
        CompletableFuture<Result> b = batches.submit(0, acquire(3), Duration.ofSeconds(8));
        sent.get(0).answer().complete(taken(1));
        CompletableFuture<Result> c = batches.submit(0, acquire(4), Duration.ofSeconds(8));
        sent.get(1).answer().completeExceptionally(new FragmentCommands.Unavailable("no leader"));
        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).command()).isEqualTo(acquire(4));
        assertThat(c).isNotDone();
    }

    @Test
    void aBatchWithoutAnAnswerByItsDeadlineFailsOnlyTheCallsPastTheirOwnAndSendsTheOthersAgain() throws Exception {
        batches.submit(0, acquire(1), Duration.ofSeconds(8));
        CompletableFuture<Result> old = batches.submit(0, acquire(2), Duration.ofSeconds(1));
        clock.addAndGet(500);
        CompletableFuture<Result> young = batches.submit(0, acquire(3), Duration.ofSeconds(8));
        sent.get(0).answer().complete(taken(1));
        assertThat(sent.get(1).within()).isEqualTo(Duration.ofMillis(500)); // the old call's deadline
        clock.addAndGet(500); // no leader answered within it
        sent.get(1)
                .answer()
                .completeExceptionally(new FragmentCommands.Unavailable("fragment 0 has no reachable leader"));
        assertThat(old).isCompletedExceptionally();
        assertThat(young).isNotDone();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).command()).isEqualTo(acquire(3));
        assertThat(sent.get(2).within()).isEqualTo(Duration.ofMillis(7_500));
        sent.get(2).answer().complete(taken(3));
        assertThat(young.get()).isEqualTo(taken(3));
    }

    @Test
    void aBatchRefusedAsAWholeGivesEveryCallTheRefusal() throws ExecutionException, InterruptedException {
        batches.submit(0, acquire(1), Duration.ofSeconds(8));
        CompletableFuture<Result> a = batches.submit(0, acquire(2), Duration.ofSeconds(8));
        CompletableFuture<Result> b = batches.submit(0, acquire(3), Duration.ofSeconds(8));
        sent.get(0).answer().complete(taken(1));
        Result refused = new Result.Rejected(io.arbiter.core.model.ErrorCode.LockTableNotReady, "rebuilding", null);
        sent.get(1).answer().complete(refused);
        assertThat(a.get()).isEqualTo(refused);
        assertThat(b.get()).isEqualTo(refused);
    }
}
