package io.arbiter.server.routing;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the {@link RequestRouter} did with client requests, as plain running totals for metrics: served here,
 * forwarded to another node's leader, retried after a NotRaftLeader answer, and given up at the request deadline.
 *
 * <p>Threading: thread-safe and lock-free (striped adders); read at any time.
 */
public final class RoutingStats {
    final LongAdder servedHere = new LongAdder();
    final LongAdder forwarded = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder gaveUp = new LongAdder();

    public long servedHere() {
        return servedHere.sum();
    }

    public long forwarded() {
        return forwarded.sum();
    }

    public long retried() {
        return retried.sum();
    }

    public long gaveUp() {
        return gaveUp.sum();
    }
}
