package io.arbiter.server.routing;

import java.util.concurrent.atomic.LongAdder;

/**
 * What this node's {@link LockCallBatches} sent to lock-only fragments, as running totals for metrics: lock calls
 * (grants and releases of row locks) and the batches they left in (calls / batches is the batch size).
 *
 * <p>Threading: thread-safe and lock-free (striped adders); read at any time.
 */
public final class LockCallStats {
    final LongAdder calls = new LongAdder();
    final LongAdder batches = new LongAdder();

    /** Lock calls sent (a call in a batch sent again after the batch found no leader counts again). */
    public long calls() {
        return calls.sum();
    }

    /** Batches sent (one peer message or one leader read each). */
    public long batches() {
        return batches.sum();
    }
}
