package io.arbiter.server.http.webconsole;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.server.metrics.LatencyHistogram;
import org.junit.jupiter.api.Test;

/** The overview's latency buckets: each value lands in the first bucket whose bound is not below it. */
class LatencyHistogramTest {
    @Test
    void valuesLandInTheFirstBucketAtOrAboveThem() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(50_000); // 0.05 ms
        h.record(100_000); // 0.1 ms: on the bound
        h.record(1_500_000); // 1.5 ms
        h.record(3_600_000_000_000L); // an hour
        long[] c = h.counts();
        assertThat(c).hasSize(LatencyHistogram.BOUNDS_MS.length + 1);
        assertThat(c[0]).isEqualTo(2);
        assertThat(c[4]).as("(1, 2] ms").isEqualTo(1);
        assertThat(c[c.length - 1]).as("open bucket").isEqualTo(1);
        assertThat(java.util.Arrays.stream(c).sum()).isEqualTo(4);
    }
}
