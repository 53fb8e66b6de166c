package io.arbiter.compat.soak;

/**
 * One fault the soak injected. Times are {@link System#nanoTime()} values.
 *
 * @param number    1-based, in the order of the run
 * @param kind      what kind of fault
 * @param what      what was done, e.g. {@code kill -9 node-1, down 6.2 s}
 * @param startNs   when it began
 * @param endNs     when the fault itself was over (node restarted, leader moved, cut healed ...)
 * @param settledNs when the cluster was settled again afterwards ({@link PlacementView#unsettled}), 0 if never
 * @param outcome   what the cluster answered or did, e.g. {@code serving 2.1 s after its restart}
 */
public record ChaosEvent(
        int number, EventKind kind, String what, long startNs, long endNs, long settledNs, String outcome) {}
