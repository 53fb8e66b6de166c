package io.arbiter.server.routing;

import io.arbiter.core.command.Command;
import io.arbiter.core.result.Result;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * This node's lock calls ({@link Command.AcquireLocks}, {@link Command.ReleaseLocks}) to lock-only fragments, sent
 * together: while one call to a fragment is on the way, the calls that come meanwhile wait and then leave as one
 * {@link Command.LockBatch} (one peer message and one leader read for all of them instead of one each). The leader
 * runs a batch's commands in order, as if each came alone. Calls to one fragment leave in the order they came; a
 * call whose own deadline passed while it waited fails without being sent, and a batch is given the earliest
 * deadline among its calls (a call is never sent on after its caller gave it up). A batch that got no answer by then
 * (no leader for that long) fails only its calls whose deadline passed; the others go again, first in line.
 *
 * <p>Threading: thread-safe, never blocks; answers complete on the thread that completes the batch's future.
 */
final class LockCallBatches {
    /** The most calls one batch carries. */
    static final int MAX_BATCH = 256;

    /** Sends one command to a fragment's leader (retried there until {@code within}). */
    interface Sender {
        CompletableFuture<Result> send(int fragmentId, Command command, Duration within);
    }

    private record Call(Command.LeaderLocks command, long deadline, CompletableFuture<Result> answer) {}

    /** The calls to one fragment: those waiting, and whether a batch is on the way (guarded by itself). */
    private static final class Queue {
        final int fragmentId;
        final ArrayDeque<Call> waiting = new ArrayDeque<>();
        boolean onTheWay;

        Queue(int fragmentId) {
            this.fragmentId = fragmentId;
        }

        /** The next batch (at most {@link #MAX_BATCH} calls); marks one on the way unless there is none. */
        List<Call> next() {
            List<Call> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
            while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(waiting.poll());
            }
            onTheWay = !batch.isEmpty();
            return batch;
        }
    }

    private final Sender sender;
    private final LongSupplier clock;
    private final Map<Integer, Queue> queues = new ConcurrentHashMap<>();
    private final LockCallStats stats = new LockCallStats();

    LockCallBatches(Sender sender, LongSupplier clock) {
        this.sender = sender;
        this.clock = clock;
    }

    /** What was sent so far. */
    LockCallStats stats() {
        return stats;
    }

    CompletableFuture<Result> submit(int fragmentId, Command.LeaderLocks command, Duration within) {
        Call call = new Call(command, clock.getAsLong() + within.toMillis(), new CompletableFuture<>());
        Queue queue = queues.computeIfAbsent(fragmentId, Queue::new);
        List<Call> batch = List.of();
        synchronized (queue) {
            queue.waiting.add(call);
            if (!queue.onTheWay) {
                batch = queue.next();
            }
        }
        if (!batch.isEmpty()) {
            send(queue, batch);
        }
        return call.answer();
    }

    private void send(Queue queue, List<Call> taken) {
        long now = clock.getAsLong();
        List<Call> batch = new ArrayList<>(taken.size());
        for (Call call : taken) {
            if (call.deadline() <= now) {
                call.answer()
                        .completeExceptionally(new FragmentCommands.Unavailable(
                                "fragment " + queue.fragmentId + ": no answer to a lock call within its deadline"));
            } else {
                batch.add(call);
            }
        }
        if (batch.isEmpty()) {
            sendNext(queue);
            return;
        }
        long deadline = batch.stream().mapToLong(Call::deadline).min().getAsLong();
        Command command = batch.size() == 1
                ? batch.get(0).command()
                : new Command.LockBatch(batch.stream().map(Call::command).toList());
        stats.batches.increment();
        stats.calls.add(batch.size());
        CompletableFuture<Result> sent;
        try {
            sent = sender.send(queue.fragmentId, command, Duration.ofMillis(Math.max(1, deadline - now)));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((result, error) -> {
            if (error != null && clock.getAsLong() >= deadline && batch.size() > 1) {
                // the batch used up the earliest deadline among its calls without an answer (no leader for that
                // long): the calls with time left go again, first in line, as each would have gone on alone
                List<Call> again = new ArrayList<>();
                long after = clock.getAsLong();
                for (Call call : batch) {
                    if (call.deadline() > after) {
                        again.add(call);
                    } else {
                        call.answer().completeExceptionally(error);
                    }
                }
                synchronized (queue) {
                    for (int i = again.size() - 1; i >= 0; i--) {
                        queue.waiting.addFirst(again.get(i));
                    }
                }
            } else {
                deliver(batch, result, error);
            }
            sendNext(queue);
        });
    }

    private void sendNext(Queue queue) {
        List<Call> next;
        synchronized (queue) {
            next = queue.next();
        }
        if (!next.isEmpty()) {
            send(queue, next);
        }
    }

    private static void deliver(List<Call> batch, Result result, Throwable error) {
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<Result> answer = batch.get(i).answer();
            if (error != null) {
                answer.completeExceptionally(error);
            } else if (batch.size() == 1) {
                answer.complete(result);
            } else if (result instanceof Result.Batch b && b.results().size() == batch.size()) {
                answer.complete(b.results().get(i));
            } else {
                answer.complete(result); // refused as a whole (every call hears the same)
            }
        }
    }
}
