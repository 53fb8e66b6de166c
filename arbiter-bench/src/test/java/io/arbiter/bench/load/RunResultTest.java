package io.arbiter.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunResultTest {

    static RunResult sample(String config, String workload, int threads, double tps, double p99, Double cpu) {
        return new RunResult(
                1,
                "2026-01-01T00:00:00Z",
                config,
                workload,
                threads,
                10,
                30,
                "127.0.0.1:8091",
                "2.0.0",
                (long) (tps * 30),
                0,
                30,
                tps,
                p99 / 4,
                p99 / 2,
                p99,
                p99 * 2,
                p99 * 3,
                p99 / 3,
                cpu == null ? null : cpu * tps * 30 / 1000,
                cpu,
                List.of(1L),
                1.0,
                null,
                null,
                null,
                true,
                null,
                null);
    }

    @Test
    void isOneJsonLineThatReadsBack() {
        RunResult r = new RunResult(
                1,
                "t",
                "arbiter-1",
                "at",
                16,
                10,
                30,
                "127.0.0.1:8091",
                "2.0.0",
                300,
                2,
                30.01,
                10.0,
                1,
                2,
                3,
                4,
                5,
                1.5,
                6.0,
                20.0,
                List.of(7L, 8L),
                3.0,
                0.4,
                List.of("2x Boom"),
                Map.of("conserved", true),
                true,
                null,
                2.0);
        String line = r.toJsonLine();
        assertThat(line).doesNotContain("\n").doesNotContain("failure");
        assertThat(RunResult.looksLikeResult(line)).isTrue();
        assertThat(RunResult.fromJson(line)).isEqualTo(r);
        assertThat(r.cpuSPer1000TxWithoutJit())
                .as("20 s/1k tx, a third of the 6 CPU-s was the JIT's")
                .isCloseTo(20.0 * 4 / 6, offset(1e-9));
    }

    @Test
    void logLinesAreNotResults() {
        assertThat(RunResult.looksLikeResult("13:00:00 INFO something {\"a\":1}"))
                .isFalse();
        assertThat(RunResult.looksLikeResult("{\"level\":\"INFO\"}")).isFalse();
    }

    @Test
    void aFailedRunCarriesItsReason() {
        RunResult r = RunResult.failed("t", "seata-file", "empty", 16, 10, 30, null, "did not start");
        assertThat(r.ok()).isFalse();
        assertThat(RunResult.fromJson(r.toJsonLine()).failure()).isEqualTo("did not start");
    }
}
