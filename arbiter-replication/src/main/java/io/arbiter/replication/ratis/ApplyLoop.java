package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.SnapshotWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial owner of the {@link ReplicatedStateMachine}: every call into it (apply, snapshot capture, restore, role
 * change) runs through one {@link SerialRunner}, one at a time, in the order Ratis hands entries over, so role
 * changes, which Ratis reports on other threads, are put in the same order and the state machine never sees two
 * threads at once. An entry is applied on Ratis's updater thread itself when nothing else is queued (no thread
 * hand-off per entry); otherwise it queues behind the role change or capture in progress, and a thread of the node's
 * shared pool runs the queue (the "apply thread" below is whichever thread runs it at the time).
 */
final class ApplyLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);

    /** Told, on the apply thread, after every applied log index. */
    interface AppliedListener {
        void applied(long term, long index);
    }

    /** What a snapshot captured on the apply thread: the state as of {@code index}, and how to write it. */
    record Capture(long term, long index, SnapshotWriter writer) {}

    /** A restore step that may fail with I/O. */
    interface Restore {
        void run() throws IOException;
    }

    private final ReplicatedStateMachine stateMachine;
    private final InFlightBatches inFlight;
    private final AppliedListener listener;
    private final SerialRunner thread;
    private long lastTerm;
    private volatile long lastIndex = -1;

    /** @param executor runs queued work (shared with other groups; the loop never has two tasks running at once) */
    ApplyLoop(
            Executor executor,
            ReplicatedStateMachine stateMachine,
            InFlightBatches inFlight,
            AppliedListener listener) {
        this.stateMachine = stateMachine;
        this.inFlight = inFlight;
        this.listener = listener;
        this.thread = new SerialRunner(executor);
    }

    ReplicatedStateMachine stateMachine() {
        return stateMachine;
    }

    /** The last log index whose effect is in the state machine (-1 before anything). */
    long lastAppliedIndex() {
        return lastIndex;
    }

    /**
     * Applies one entry's commands, on the calling thread if nothing is queued, else after what is queued; the future
     * completes after they are applied.
     */
    CompletableFuture<Void> apply(long term, long index, EntryCodec.Entry entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.runOrQueue(() -> {
            try {
                applyNow(term, index, entry);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Records an index that carries no commands (Raft configuration or metadata), in order, on this thread if idle. */
    void advance(long term, long index) {
        thread.runOrQueue(() -> markApplied(term, index));
    }

    /** Runs a task on the apply thread, after everything queued so far. */
    void execute(Runnable task) {
        thread.execute(task);
    }

    /** Answers a read on the apply thread, after everything queued so far (so after every entry handed over). */
    CompletableFuture<byte[]> query(byte[] request) {
        return CompletableFuture.supplyAsync(() -> stateMachine.query(request), thread);
    }

    /** Captures a snapshot view on the apply thread and waits for it (the capture is meant to be cheap). */
    Capture capture() {
        return join(
                CompletableFuture.supplyAsync(() -> new Capture(lastTerm, lastIndex, stateMachine.snapshot()), thread));
    }

    /** Runs {@code restore} on the apply thread, then records {@code term/index} as applied; waits for it. */
    void restore(long term, long index, Restore restore) throws IOException {
        try {
            join(CompletableFuture.runAsync(
                    () -> {
                        try {
                            restore.run();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        lastTerm = term;
                        lastIndex = index;
                    },
                    thread));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void applyNow(long term, long index, EntryCodec.Entry entry) {
        List<byte[]> commands = entry.commands();
        Object[] results = new Object[commands.size()];
        for (int i = 0; i < results.length; i++) {
            try {
                results[i] = stateMachine.apply(index, commands.get(i));
            } catch (RuntimeException e) {
                LOG.error("state machine threw applying command {} of entry {}", i, index, e);
                results[i] = e;
            }
        }
        markApplied(term, index);
        inFlight.applied(entry.proposerId(), entry.batchId(), results);
    }

    private void markApplied(long term, long index) {
        lastTerm = term;
        lastIndex = index;
        listener.applied(term, index);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Lets queued work finish (up to 10 s) and refuses more. */
    @Override
    public void close() {
        if (!thread.close(10_000)) {
            LOG.warn("apply work did not finish within 10 s; abandoning it");
        }
    }
}
