package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit at the command level: proposals queue here and are packed, up to {@code maxCommands} of them (and at
 * most {@link #MAX_ENTRY_BYTES} of command bytes), into batches, keeping at most {@code maxOutstanding} batches in
 * flight. While the window is full, new proposals accumulate, so batches grow with load by themselves.
 *
 * <p>No thread of its own: whoever raises the work counter from 0 (a new proposal, or a freed window slot with
 * proposals waiting) hands one drain task to the shared executor; the drain packs and submits batches while the
 * window has room and proposals wait, and repeats while more work was signalled meanwhile. So at most one drain of a
 * batcher runs at a time (the counter's read-modify-writes order them), and its fields are confined to it. A drain
 * submits at most {@code maxOutstanding} batches per turn, then queues itself again, so a busy group cannot keep a
 * shared thread from other groups.
 *
 * <p>Threading: {@link #offer} and {@link #release()} from any thread; the {@link Sink} is called on the executor's
 * thread, one batch at a time, and must call {@link #release()} exactly once per batch when the batch's fate is
 * known (from any thread).
 */
final class Batcher implements AutoCloseable {

    /** Upper bound of the command bytes packed into one entry (Ratis's default entry limit is 4 MiB). */
    static final int MAX_ENTRY_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    /** A queued proposal. */
    record Proposal(byte[] command, CompletableFuture<byte[]> future) {}

    /** Receives each packed batch on the drain's thread. */
    interface Sink {
        void submit(List<Proposal> batch);
    }

    private final int maxCommands;
    private final int batchesPerTurn;
    private final Semaphore window;
    private final LinkedBlockingQueue<Proposal> queue;
    private final Sink sink;
    private final Executor executor;
    /** Signals not yet seen by a drain; the signaller that raises it from 0 schedules the drain. */
    private final AtomicInteger work = new AtomicInteger();
    /** A proposal that did not fit into the previous batch; it goes first into the next. */
    private final AtomicReference<Proposal> carry = new AtomicReference<>();

    private volatile boolean closed;

    Batcher(int maxCommands, int maxOutstanding, int queueCapacity, Executor executor, Sink sink) {
        this.maxCommands = maxCommands;
        this.batchesPerTurn = maxOutstanding;
        this.window = new Semaphore(maxOutstanding);
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.executor = executor;
        this.sink = sink;
    }

    /** Queues a proposal; {@code false} when the queue is full or the batcher closed. */
    boolean offer(Proposal p) {
        if (closed) {
            return false;
        }
        if (!queue.offer(p)) {
            return false;
        }
        if (closed) {
            failQueued(); // close() may have drained before this offer
        } else {
            signal();
        }
        return true;
    }

    /** One batch handed to the sink has completed, successfully or not. */
    void release() {
        window.release();
        if (hasWaiting()) {
            signal();
        }
    }

    private boolean hasWaiting() {
        return carry.get() != null || !queue.isEmpty();
    }

    private void signal() {
        if (work.getAndIncrement() == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            closed = true; // the node is closing
            failQueued();
            work.set(0);
        }
    }

    /** On the executor; the only drain of this batcher running. */
    private void drain() {
        int seen = work.get();
        int budget = batchesPerTurn;
        while (true) {
            budget -= submitWhileRoom(budget);
            if (closed) {
                failQueued();
            }
            if (budget <= 0) {
                schedule(); // the counter stays above 0: the re-queued drain still owns it
                return;
            }
            int remaining = work.addAndGet(-seen);
            if (remaining == 0) {
                return;
            }
            seen = remaining;
        }
    }

    /** Packs and submits batches while proposals wait and the window has room; returns how many. */
    private int submitWhileRoom(int max) {
        int submitted = 0;
        while (submitted < max && !closed && hasWaiting() && window.tryAcquire()) {
            List<Proposal> batch = pack();
            if (batch.isEmpty()) {
                window.release();
                break;
            }
            submitted++;
            try {
                sink.submit(batch);
            } catch (RuntimeException e) {
                LOG.error("submitting a batch of {} commands failed", batch.size(), e);
                window.release();
                ReplicationException failure =
                        new ReplicationException(ReplicationException.Reason.FAILED, "submitting the entry failed", e);
                batch.forEach(p -> p.future().completeExceptionally(failure));
            }
        }
        return submitted;
    }

    private List<Proposal> pack() {
        List<Proposal> batch = new ArrayList<>(Math.min(maxCommands, queue.size() + 1));
        long bytes = 0;
        Proposal next = carry.getAndSet(null);
        if (next == null) {
            next = queue.poll();
        }
        while (next != null) {
            if (!batch.isEmpty() && bytes + next.command().length > MAX_ENTRY_BYTES) {
                carry.set(next);
                break;
            }
            batch.add(next);
            bytes += next.command().length;
            if (batch.size() >= maxCommands) {
                break;
            }
            next = queue.poll();
        }
        return batch;
    }

    /** Refuses new proposals and fails everything still queued; a drain in progress finishes its current batch. */
    @Override
    public void close() {
        closed = true;
        failQueued();
    }

    private void failQueued() {
        Proposal c = carry.getAndSet(null);
        if (c != null) {
            c.future().completeExceptionally(closedException());
        }
        for (Proposal p; (p = queue.poll()) != null; ) {
            p.future().completeExceptionally(closedException());
        }
    }

    private static ReplicationException closedException() {
        return new ReplicationException(ReplicationException.Reason.CLOSED, "replica group closed");
    }
}
