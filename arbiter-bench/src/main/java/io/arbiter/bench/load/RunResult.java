package io.arbiter.bench.load;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * One load run, written as one JSON line. Latencies are milliseconds, throughput is transactions per second
 * in the measured window (warm-up excluded), CPU is the coordinator processes' utime+stime over that window.
 *
 * @param config         the coordinator configuration label (seata-file, seata-raft-3, arbiter-1, arbiter-3, or
 *                       what a single run was given)
 * @param transactions   transactions that succeeded and ended inside the measured window
 * @param errors         transactions that failed and ended inside the measured window
 * @param measuredS      the measured window's length in seconds
 * @param coordinatorCpuS CPU seconds of the coordinator processes in the window (null: not measured)
 * @param cpuSPer1000Tx  coordinatorCpuS per 1,000 successful transactions (null: not measured)
 * @param clientCpuS     CPU seconds of the load generator JVM itself in the window
 * @param busiestCpuShare the busiest coordinator process's share of all coordinator CPU in the window (null: not
 *                       measured)
 * @param check          workload-specific end-of-run verification (AT: conservation of stock)
 * @param ok             the run completed and its check (if any) passed
 * @param jitCpuS        of coordinatorCpuS, the seconds the coordinators' JIT compiler threads took (null: not
 *                       measured): compilation still going on after the warm-up, which differs from run to run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunResult(
        int schema,
        String timestamp,
        String config,
        String workload,
        int threads,
        double warmupS,
        double durationS,
        String target,
        String clientVersion,
        long transactions,
        long errors,
        double measuredS,
        double tps,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double p999Ms,
        double maxMs,
        double meanMs,
        Double coordinatorCpuS,
        Double cpuSPer1000Tx,
        List<Long> coordinatorPids,
        Double clientCpuS,
        Double busiestCpuShare,
        List<String> errorSamples,
        Map<String, Object> check,
        boolean ok,
        String failure,
        Double jitCpuS) {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** CPU seconds per 1,000 transactions without the JIT compiler threads' share (null: not measured). */
    public Double cpuSPer1000TxWithoutJit() {
        if (cpuSPer1000Tx == null || jitCpuS == null || coordinatorCpuS == null || coordinatorCpuS == 0) {
            return null;
        }
        return cpuSPer1000Tx * (coordinatorCpuS - jitCpuS) / coordinatorCpuS;
    }

    public String toJsonLine() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RunResult fromJson(String line) {
        try {
            return JSON.readValue(line, RunResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a bench result: " + line, e);
        }
    }

    /** Whether a line of a load JVM's standard output is a result line. */
    public static boolean looksLikeResult(String line) {
        String t = line.trim();
        return t.startsWith("{") && t.endsWith("}") && t.contains("\"schema\"") && t.contains("\"workload\"");
    }

    /** A result for a run that could not produce numbers. */
    public static RunResult failed(
            String timestamp,
            String config,
            String workload,
            int threads,
            double warmupS,
            double durationS,
            String target,
            String failure) {
        return new RunResult(
                1, timestamp, config, workload, threads, warmupS, durationS, target, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                null, null, null, null, null, null, null, false, failure, null);
    }
}
