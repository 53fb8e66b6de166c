package io.arbiter.server.metrics;

import java.util.Map;

/**
 * One fragment replica's running figures on this node, for the web console's overview: cumulative counters (while
 * this node led the fragment) and the state now.
 *
 * @param id the fragment
 * @param leader whether this node leads it now
 * @param commands commands applied while leading
 * @param begun transactions begun while leading
 * @param ended transactions ended while leading, by final status name
 * @param retries phase-two rounds scheduled again while leading
 * @param commitFailures proposals from this node that failed
 * @param live live transactions in this replica
 * @param locks row locks held in this replica
 * @param latency request latency (proposal to result) in the buckets of {@link LatencyHistogram#BOUNDS_MS}
 */
public record FragmentSummary(
        int id,
        boolean leader,
        long commands,
        long begun,
        Map<String, Long> ended,
        long retries,
        long commitFailures,
        int live,
        int locks,
        long[] latency) {}
