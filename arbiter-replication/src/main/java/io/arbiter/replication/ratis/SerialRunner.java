package io.arbiter.replication.ratis;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, never two at once, on whichever thread is at hand: a task given
 * to {@link #runOrQueue} while nothing is queued or running runs at once on the caller's thread (the common case
 * for log entries: Ratis's updater thread applies them itself, without waking another thread); otherwise, and for
 * every task given to {@link #execute}, it is queued and run by the thread already draining or by the runner's
 * executor (its own thread, or a node's shared pool). Each drain publishes its effects to the next (the queue counter
 * is a volatile read-modify-write), so the tasks may share unsynchronized state as if they ran on one thread.
 *
 * <p>Threading: any thread may submit. A task must not block waiting for a later task of the same runner.
 */
final class SerialRunner implements Executor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SerialRunner.class);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Tasks queued or running; the submitter that raises it from 0 drains. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Runs a drain when no other thread is draining; shared with other runners unless {@link #owned}. */
    private final Executor drainer;
    /** The runner's own thread, when it was not given an executor; stopped on close. */
    private final ExecutorService owned;

    private volatile boolean closed;

    /** A runner with its own thread. */
    SerialRunner(String threadName) {
        this.owned = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.drainer = owned;
    }

    /** A runner whose queued tasks run on {@code shared} (e.g. a node's pool); no thread of its own. */
    SerialRunner(Executor shared) {
        this.owned = null;
        this.drainer = shared;
    }

    /** Queues {@code task}; the runner's executor runs it unless another thread is draining already. */
    @Override
    public void execute(Runnable task) {
        if (enqueue(task)) {
            try {
                drainer.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drain(); // closing: finish here rather than drop what is queued
            }
        }
    }

    /** Runs {@code task} now on this thread if the runner is idle, else queues it behind the others. */
    void runOrQueue(Runnable task) {
        if (enqueue(task)) {
            drain();
        }
    }

    /** @return whether the caller must drain */
    private boolean enqueue(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        queue.add(task);
        return pending.getAndIncrement() == 0;
    }

    private void drain() {
        do {
            Runnable task = queue.poll();
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("task failed", e);
            }
        } while (pending.decrementAndGet() != 0);
    }

    /** Refuses new tasks, lets queued ones finish (up to {@code timeoutMillis}), then stops its own thread if any. */
    boolean close(long timeoutMillis) {
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean idle;
        while (!(idle = pending.get() == 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (owned != null) {
            owned.shutdownNow();
        }
        return idle;
    }

    @Override
    public void close() {
        close(10_000);
    }
}
