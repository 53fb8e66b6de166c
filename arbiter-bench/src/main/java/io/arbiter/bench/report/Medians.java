package io.arbiter.bench.report;

import io.arbiter.bench.load.RunResult;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One result standing for several runs of the same configuration and point: every figure is the median of the
 * runs that produced numbers (for an even count, the mean of the middle two). A run that failed to produce numbers
 * does not count; the summary is ok only when every run was, and names the first failure.
 */
final class Medians {
    private Medians() {}

    /** {@code runs} unchanged when there is one; else their medians (runs: same config, workload and threads). */
    static RunResult of(List<RunResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        if (runs.size() == 1) {
            return runs.get(0);
        }
        List<RunResult> counted =
                runs.stream().filter(r -> r.transactions() > 0).toList();
        RunResult first = runs.get(0);
        String failure = runs.stream()
                .map(RunResult::failure)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        boolean ok = runs.stream().allMatch(RunResult::ok);
        if (counted.isEmpty()) {
            return RunResult.failed(
                    first.timestamp(),
                    first.config(),
                    first.workload(),
                    first.threads(),
                    first.warmupS(),
                    first.durationS(),
                    first.target(),
                    failure);
        }
        return new RunResult(
                first.schema(),
                first.timestamp(),
                first.config(),
                first.workload(),
                first.threads(),
                first.warmupS(),
                first.durationS(),
                first.target(),
                first.clientVersion(),
                Math.round(median(counted, r -> (double) r.transactions())),
                Math.round(median(counted, r -> (double) r.errors())),
                median(counted, RunResult::measuredS),
                median(counted, RunResult::tps),
                median(counted, RunResult::p50Ms),
                median(counted, RunResult::p95Ms),
                median(counted, RunResult::p99Ms),
                median(counted, RunResult::p999Ms),
                median(counted, RunResult::maxMs),
                median(counted, RunResult::meanMs),
                median(counted, RunResult::coordinatorCpuS),
                median(counted, RunResult::cpuSPer1000Tx),
                first.coordinatorPids(),
                median(counted, RunResult::clientCpuS),
                median(counted, RunResult::busiestCpuShare),
                null,
                null,
                ok,
                failure,
                jitFor(
                        median(counted, RunResult::coordinatorCpuS),
                        median(counted, RunResult::cpuSPer1000Tx),
                        median(counted, RunResult::cpuSPer1000TxWithoutJit)));
    }

    /**
     * The JIT seconds that make the summary's {@link RunResult#cpuSPer1000TxWithoutJit} the median of the runs' own
     * (a ratio of medians would not be one).
     */
    private static Double jitFor(Double cpuS, Double per1000, Double per1000WithoutJit) {
        if (cpuS == null || per1000 == null || per1000WithoutJit == null || per1000 == 0) {
            return null;
        }
        return cpuS * (1 - per1000WithoutJit / per1000);
    }

    /** The median of a figure over the runs that have it; null when none has. */
    static Double median(List<RunResult> runs, Function<RunResult, Double> figure) {
        double[] v = runs.stream()
                .map(figure)
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        if (v.length == 0) {
            return null;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** "1,234 / 1,301 / 1,190": a figure of every run in order, for the spread beside a median. */
    static String each(List<RunResult> runs, Function<RunResult, Double> figure, String format) {
        return String.join(
                " / ",
                runs.stream()
                        .map(figure)
                        .map(v -> v == null ? "n/a" : String.format(java.util.Locale.ROOT, format, v))
                        .toArray(String[]::new));
    }
}
