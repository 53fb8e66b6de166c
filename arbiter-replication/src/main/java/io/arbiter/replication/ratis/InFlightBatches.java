package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicationException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The batches this replica proposed whose outcome is not yet known, keyed by batch id. Whichever comes first wins
 * a batch: the apply thread (results), a failed submission (error) or the expiry timer ({@link #expire}); the
 * losers find nothing to do. Futures are completed on the winner's thread, so dependent stages must not block.
 * Thread-safe.
 */
final class InFlightBatches {

    /** One proposed entry: the callers' futures, in command order. */
    static final class Batch {
        final long id;
        final List<CompletableFuture<byte[]>> futures;
        final long createdNanos;
        /** The term this replica led in when it proposed the entry. */
        final long term;
        /**
         * Frees the batch's slot in the proposal window; runs at most once, whoever calls it: when the batch leaves this
         * map (applied, failed, expired) or when Ratis replies, whichever is first. Ratis does not reply to every
         * request of a division it shuts down (a removed leader), so the reply alone would leak slots.
         */
        final Runnable release;
        /** Set just before the entry goes into the leader's log: from then on a failure is indeterminate. */
        volatile boolean appended;

        Batch(long id, List<CompletableFuture<byte[]>> futures, long term, Runnable release) {
            this.id = id;
            this.futures = futures;
            this.createdNanos = System.nanoTime();
            this.term = term;
            AtomicBoolean released = new AtomicBoolean();
            this.release = () -> {
                if (released.compareAndSet(false, true)) {
                    release.run();
                }
            };
        }
    }

    /** Why an expired batch failed; builds the exception for it. */
    interface Expiry {
        ReplicationException error(Batch batch, boolean leadershipLost);
    }

    private final long proposerId;
    private final ConcurrentHashMap<Long, Batch> batches = new ConcurrentHashMap<>();

    InFlightBatches(long proposerId) {
        this.proposerId = proposerId;
    }

    long proposerId() {
        return proposerId;
    }

    void add(Batch batch) {
        batches.put(batch.id, batch);
    }

    int size() {
        return batches.size();
    }

    /** Called from Ratis's log append path; must stay cheap. */
    void markAppended(long proposer, long batchId) {
        if (proposer == proposerId) {
            Batch b = batches.get(batchId);
            if (b != null) {
                b.appended = true;
            }
        }
    }

    /**
     * Called on the apply thread when an entry was applied. {@code results[i]} is the {@code byte[]} result of
     * command {@code i} or the {@link RuntimeException} it threw.
     */
    void applied(long proposer, long batchId, Object[] results) {
        if (proposer != proposerId) {
            return;
        }
        Batch b = batches.remove(batchId);
        if (b != null) {
            b.release.run();
            for (int i = 0; i < b.futures.size(); i++) {
                Object r = results[i];
                if (r instanceof RuntimeException e) {
                    b.futures
                            .get(i)
                            .completeExceptionally(new ReplicationException(
                                    ReplicationException.Reason.FAILED, "state machine failed to apply", e));
                } else {
                    b.futures.get(i).complete((byte[]) r);
                }
            }
        }
    }

    /** Fails the batch if it is still in flight; {@code error} receives whether it had been appended. */
    void fail(long batchId, Function<Boolean, ReplicationException> error) {
        Batch b = batches.remove(batchId);
        if (b != null) {
            b.release.run();
            ReplicationException e = error.apply(b.appended);
            b.futures.forEach(f -> f.completeExceptionally(e));
        }
    }

    /**
     * The bound on how long an entry may stay outstanding: fails (and releases) every batch that is older than
     * {@code leaderLossNanos} while this replica no longer leads in the batch's term, or older than
     * {@code maxAgeNanos} in any case. Ratis normally fails such entries itself when leadership is lost; this is the
     * safety net that makes every proposal complete.
     *
     * @return how many batches were failed
     */
    int expire(boolean leaderNow, long termNow, long leaderLossNanos, long maxAgeNanos, Expiry expiry) {
        long now = System.nanoTime();
        int failed = 0;
        for (Batch b : batches.values()) {
            long age = now - b.createdNanos;
            boolean leadershipLost = !leaderNow || termNow != b.term;
            if ((leadershipLost && age > leaderLossNanos) || age > maxAgeNanos) {
                if (batches.remove(b.id, b)) {
                    ReplicationException e = expiry.error(b, leadershipLost);
                    b.futures.forEach(f -> f.completeExceptionally(e));
                    b.release.run();
                    failed++;
                }
            }
        }
        return failed;
    }

    /** Fails every batch still in flight (on close). */
    void failAll(Function<Boolean, ReplicationException> error) {
        for (Long id : List.copyOf(batches.keySet())) {
            fail(id, error);
        }
    }
}
