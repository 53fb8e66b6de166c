package io.arbiter.server.coordinator;

import java.util.concurrent.atomic.LongAdder;

/**
 * Phase-two calls this node's {@link PhaseTwoDriver}s made to resource managers, as plain running totals for
 * metrics: by direction, answered with the branch's final status or not (no RM, timeout, error, or an answer the
 * coordinator retries).
 *
 * <p>Threading: thread-safe and lock-free (striped adders); read at any time.
 */
public final class PhaseTwoStats {
    final LongAdder commitsDone = new LongAdder();
    final LongAdder commitsFailed = new LongAdder();
    final LongAdder rollbacksDone = new LongAdder();
    final LongAdder rollbacksFailed = new LongAdder();

    public long commitsDone() {
        return commitsDone.sum();
    }

    public long commitsFailed() {
        return commitsFailed.sum();
    }

    public long rollbacksDone() {
        return rollbacksDone.sum();
    }

    public long rollbacksFailed() {
        return rollbacksFailed.sum();
    }

    void record(boolean commit, boolean done) {
        (commit ? done ? commitsDone : commitsFailed : done ? rollbacksDone : rollbacksFailed).increment();
    }
}
