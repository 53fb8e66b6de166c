package io.arbiter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.bench.load.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    static RunResult r(String config, String workload, int threads, double tps, double p99, Double cpu) {
        return r(config, workload, threads, tps, p99, cpu, null);
    }

    /** @param jitShare the share of the coordinators' CPU the JIT took (null: not measured) */
    static RunResult r(
            String config, String workload, int threads, double tps, double p99, Double cpu, Double jitShare) {
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
                cpu == null || jitShare == null ? null : jitShare * cpu * tps * 30 / 1000);
    }

    final List<RunResult> results = List.of(
            r("seata-file", "empty", 16, 1000, 20, 1.0),
            r("seata-file", "at", 16, 200, 100, 3.0),
            r("arbiter-1", "empty", 16, 2500, 8, 0.5),
            r("arbiter-1", "at", 16, 300, 50, null),
            r("seata-raft-3", "empty", 16, 400, 80, 6.0),
            r("arbiter-3", "empty", 16, 800, 40, 3.0));

    @Test
    void ratiosPairEachArbiterConfigurationWithItsSeataCounterpart() {
        assertThat(Reports.counterpart("arbiter-1")).isEqualTo("seata-file");
        assertThat(Reports.counterpart("arbiter-3")).isEqualTo("seata-raft-3");
        assertThat(Reports.counterpart("arbiter-3-grouplist")).isEqualTo("seata-raft-3");
        assertThat(Reports.counterpart("arbiter-3-leader")).isEqualTo("seata-raft-3");
        assertThat(Reports.counterpart("seata-file")).isNull();
        List<String[]> rows = Reports.ratioRows(results);
        assertThat(rows)
                .extracting(row -> String.join(" ", row))
                .containsExactly(
                        "empty:16 arbiter-1 / seata-file 2.50x 0.40x 0.40x 0.50x n/a",
                        "empty:16 arbiter-3 / seata-raft-3 2.00x 0.50x 0.50x 0.50x n/a",
                        "at:16 arbiter-1 / seata-file 1.50x 0.50x 0.50x n/a n/a");
    }

    @Test
    void eachSeataConfigurationIsFollowedByItsArbiterCounterpart() {
        assertThat(Reports.configs(results)).containsExactly("seata-file", "arbiter-1", "seata-raft-3", "arbiter-3");
    }

    @Test
    void theTableListsEveryRunAndTheRatios() {
        String table = Reports.table(results);
        assertThat(table).contains("seata-raft-3", "arbiter-1 / seata-file", "2.50x", "n/a");
        assertThat(Reports.oneLine(results.get(0))).contains("1000.0 tx/s");
        assertThat(Reports.oneLine(RunResult.failed("t", "arbiter-3", "empty", 16, 1, 1, null, "port busy")))
                .isEqualTo("FAILED: port busy");
    }

    @Test
    void aRepeatedPointCountsWithItsMedians() {
        List<RunResult> thrice = List.of(
                r("arbiter-3", "at", 64, 1500, 60, 0.45),
                r("arbiter-3", "at", 64, 1200, 90, 0.40),
                r("arbiter-3", "at", 64, 1300, 70, 0.60));
        assertThat(Reports.summaries(thrice)).hasSize(1);
        RunResult m = Reports.summaries(thrice).values().iterator().next();
        assertThat(m.tps()).isEqualTo(1300);
        assertThat(m.p99Ms()).isEqualTo(70);
        assertThat(m.cpuSPer1000Tx()).isEqualTo(0.45);
        assertThat(m.ok()).isTrue();
        List<RunResult> twice =
                List.of(r("seata-file", "empty", 16, 10, 1, 1.0), r("seata-file", "empty", 16, 20, 3, null));
        RunResult even = Reports.summaries(twice).values().iterator().next();
        assertThat(even.tps()).isEqualTo(15);
        assertThat(even.p99Ms()).isEqualTo(2);
        assertThat(even.cpuSPer1000Tx()).as("only the run that has it").isEqualTo(1.0);
        assertThat(Reports.spreadRows(thrice))
                .extracting(row -> String.join(" ", row))
                .containsExactly("at:64 arbiter-3 1500.0 / 1200.0 / 1300.0 0.450 / 0.400 / 0.600 n/a / n/a / n/a");
    }

    @Test
    void aRunThatFailedCountsNotInTheMediansButMakesTheSummaryFail() {
        List<RunResult> rs = List.of(
                r("arbiter-3", "at", 64, 1500, 60, 0.45),
                RunResult.failed("t", "arbiter-3", "at", 64, 1, 1, null, "did not start"),
                r("arbiter-3", "at", 64, 1100, 80, 0.55));
        RunResult m = Reports.summaries(rs).values().iterator().next();
        assertThat(m.tps()).isEqualTo(1300);
        assertThat(m.ok()).isFalse();
        assertThat(m.failure()).isEqualTo("did not start");
        assertThat(Reports.table(rs)).contains("NO: did not start (median of 3 runs)");
    }

    @Test
    void fragmentsArePairedWithOneFragmentAndWithSeata() {
        assertThat(Reports.oneFragment("arbiter-3-f8")).isEqualTo("arbiter-3");
        assertThat(Reports.oneFragment("arbiter-3-grouplist-f8-l1")).isEqualTo("arbiter-3-grouplist");
        assertThat(Reports.oneFragment("arbiter-3")).isNull();
        assertThat(Reports.counterpart("arbiter-3-f8")).isEqualTo("seata-raft-3");
        List<RunResult> rs = List.of(
                r("arbiter-3-f8", "at", 64, 1200, 60, 0.50, 0.2),
                r("arbiter-3", "at", 64, 1500, 50, 0.40, 0.1),
                r("seata-raft-3", "at", 64, 400, 200, 2.0),
                r("arbiter-3-f8", "at", 64, 1400, 60, 0.46, 0.1),
                r("arbiter-3", "at", 64, 1500, 50, 0.40, 0.1));
        assertThat(Reports.ratioRows(rs))
                .extracting(row -> String.join(" ", row))
                .containsExactly(
                        "at:64 arbiter-3 / seata-raft-3 3.75x 0.25x 0.25x 0.20x n/a",
                        "at:64 arbiter-3-f8 / seata-raft-3 3.25x 0.30x 0.30x 0.24x n/a",
                        "at:64 arbiter-3-f8 / arbiter-3 0.87x 1.20x 1.20x 1.20x 1.13x");
    }

    @Test
    void theHtmlReportIsSelfContained(@TempDir Path dir) throws Exception {
        Reports.Written w = Reports.write(results, dir, "test");
        String html = Files.readString(w.html());
        assertThat(html).contains("<svg", "Throughput", "Latency p99", "Coordinator CPU", "arbiter-3 / seata-raft-3");
        assertThat(html).doesNotContain("<script", "<link", "src=\"http", "href=\"http");
        if (w.png() != null) {
            byte[] png = Files.readAllBytes(w.png());
            assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        } else {
            assertThat(w.pngProblem()).isNotBlank();
        }
    }

    @Test
    void aChartDrawsEveryConfigurationInItsColourWithItsLegendAndPoints() {
        Chart c = new Chart(
                "Throughput", "tx/s", List.of("empty:16", "at:16"), List.of("seata-file", "arbiter-1"), new Double[][] {
                    {742.0, 1500.0}, {300.0, null}
                });
        String svg = ChartRenderer.svg(c);
        assertThat(svg)
                .startsWith("<svg")
                .contains("Throughput (tx/s)", "empty:16", "at:16", "seata-file", "arbiter-1");
        assertThat(svg).contains("rgb(214,39,40)", "rgb(31,119,180)"); // seata-file red, arbiter-1 blue
    }
}
