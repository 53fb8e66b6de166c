package io.arbiter.replication.ratis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots that do not stall the apply thread, on top of Ratis's synchronous {@code StateMachine.takeSnapshot()}.
 *
 * <p>Ratis calls {@code takeSnapshot()} on its state-machine updater thread, after every queued apply has
 * finished, and treats the returned index as "a snapshot up to here is durable": it records it, logs it and purges
 * the log up to it. It calls again after every applied batch as long as the auto-trigger threshold is exceeded, and
 * once per snapshot-management request. A negative return means "no snapshot this time" and changes nothing.
 * The protocol built on that:
 * <ol>
 *   <li>Idle: capture the state machine's view on the apply thread (cheap by contract, and exact: the apply
 *       queue is empty, so the view is the state at the last applied index), hand the view to the snapshot thread
 *       to be written, and return -1.</li>
 *   <li>Writing: return -1 at once (Ratis keeps polling; each poll costs a few volatile reads).</li>
 *   <li>Written: the next call <em>publishes</em> the file (it becomes {@link #published()}, the one Ratis ships to
 *       followers) and returns its index, so Ratis purges the log only up to a snapshot that is complete on disk.
 *       If that call was an explicit request, a fresh capture starts as well.</li>
 * </ol>
 * Returning the previous snapshot's index while writing (the other option) would make Ratis log "took a snapshot"
 * and re-purge on every poll. Publication may lag the write by one poll; when the group is idle that means until
 * the next entry or the next periodic request, which only delays log purging, never correctness. A restart always
 * loads the newest complete file on disk, published or not: a complete file holds exactly the state at its index.
 *
 * <p>A snapshot installed from the leader replaces the directory; {@link #reset} bumps a generation so that a write
 * that was running at that moment is dropped instead of published.
 *
 * <p>Threading: {@link #take} on Ratis's updater thread, {@link #request} on any thread, writes on the node's I/O
 * executor (shared by the groups; one write per group at a time, as {@code writing} guards); the hand-over fields are
 * volatile or atomic.
 */
final class AsyncSnapshotter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncSnapshotter.class);
    private static final long NONE = RaftLog.INVALID_LOG_INDEX;
    /** After a failed capture or write, wait this long before trying again (Ratis would ask on every batch). */
    private static final long RETRY_DELAY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ApplyLoop applyLoop;
    private final SnapshotStore store;
    private final Executor writer;
    /** The write in progress or last run (completes when it ends), for {@link #close}. */
    private volatile CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

    private volatile boolean closed;
    private final AtomicReference<SingleFileSnapshotInfo> written = new AtomicReference<>();
    private volatile SingleFileSnapshotInfo published;
    private volatile boolean writing;
    private volatile boolean requested;
    private volatile int generation;
    private volatile long retryAt = System.nanoTime();

    AsyncSnapshotter(Executor writer, ApplyLoop applyLoop, SnapshotStore store) {
        this.applyLoop = applyLoop;
        this.store = store;
        this.writer = writer;
    }

    /** The snapshot Ratis knows of: the newest published one, or {@code null}. */
    SingleFileSnapshotInfo published() {
        return published;
    }

    long publishedIndex() {
        SingleFileSnapshotInfo p = published;
        return p == null ? NONE : p.getIndex();
    }

    boolean isWriting() {
        return writing;
    }

    /** Asks for a snapshot at the next {@link #take} even if the auto-trigger threshold is not reached. */
    void request() {
        if (!writing) {
            requested = true;
        }
    }

    /** The body of {@code StateMachine.takeSnapshot()}; see the class comment. */
    long take() {
        if (writing || closed) {
            return NONE;
        }
        long reported = NONE;
        SingleFileSnapshotInfo done = written.getAndSet(null);
        if (done != null) {
            published = done;
            store.published();
            reported = done.getIndex();
            if (!requested) {
                return reported;
            }
        }
        requested = false;
        if (applyLoop.lastAppliedIndex() <= publishedIndex() || System.nanoTime() - retryAt < 0) {
            return reported;
        }
        ApplyLoop.Capture capture;
        try {
            capture = applyLoop.capture();
        } catch (RuntimeException e) {
            // a bug in the state machine's snapshot(); do not let it stop the replica (Ratis would close the server)
            LOG.error(
                    "capturing a snapshot failed; retrying in {} s",
                    TimeUnit.NANOSECONDS.toSeconds(RETRY_DELAY_NANOS),
                    e);
            retryAt = System.nanoTime() + RETRY_DELAY_NANOS;
            return reported;
        }
        if (capture.index() <= publishedIndex()) {
            return reported;
        }
        int gen = generation;
        writing = true;
        try {
            lastWrite = CompletableFuture.runAsync(() -> write(capture, gen), writer);
        } catch (RejectedExecutionException e) {
            writing = false; // closing
        }
        return reported;
    }

    private void write(ApplyLoop.Capture capture, int gen) {
        long start = System.nanoTime();
        try {
            SingleFileSnapshotInfo info = store.write(capture.term(), capture.index(), capture.writer());
            if (gen == generation) {
                written.set(info);
                LOG.info(
                        "wrote snapshot at index {} ({} bytes) in {} ms",
                        capture.index(),
                        info.getFile().getFileSize(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        } catch (Exception e) {
            retryAt = System.nanoTime() + RETRY_DELAY_NANOS;
            LOG.warn(
                    "writing the snapshot at index {} failed; retrying in {} s",
                    capture.index(),
                    TimeUnit.NANOSECONDS.toSeconds(RETRY_DELAY_NANOS),
                    e);
        } finally {
            writing = false;
        }
    }

    /** The state was replaced from {@code latest} (start or installed snapshot): forget any write in progress. */
    void reset(SingleFileSnapshotInfo latest) {
        generation++;
        written.set(null);
        published = latest;
    }

    /** Starts no more writes and lets a running one finish (up to 10 s; it is complete or absent on disk either way). */
    @Override
    public void close() {
        closed = true;
        try {
            lastWrite.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the snapshot write in progress did not finish within 10 s; not waiting for it", e);
        }
    }
}
