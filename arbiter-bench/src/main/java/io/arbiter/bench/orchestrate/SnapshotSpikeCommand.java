package io.arbiter.bench.orchestrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.bench.load.LoadOptions;
import io.arbiter.bench.load.Target;
import io.arbiter.bench.load.Workload;
import io.arbiter.bench.metrics.ProcCpu;
import io.arbiter.bench.spike.OpenTransactions;
import io.arbiter.bench.spike.SnapshotWatcher;
import io.arbiter.bench.spike.SpikeAnalysis;
import io.arbiter.bench.spike.WindowedLoad;
import io.seata.tm.TMClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench snapshot-spike}: does a snapshot cause a latency spike? Starts one Arbiter node (fresh data, periodic
 * snapshots every {@code --snapshot-every-s}, the entry-count trigger out of reach), opens {@code --open}
 * transactions and leaves them open, runs the empty workload in this JVM with one histogram per wall-clock window,
 * finds the snapshots the node wrote (its log, or its snapshot files), and compares the p99 of the windows that
 * overlap a snapshot with that of the windows that do not (issue target: ratio ≤ 1.5 with 100k open transactions).
 * Prints a summary and one JSON line, appended to {@code --out}; stops the node on every path.
 *
 * <p>The load runs in this JVM (unlike {@code compare}): Seata's client configuration is per JVM, and this command
 * runs exactly one load.
 */
@Command(
        name = "snapshot-spike",
        mixinStandardHelpOptions = true,
        description = "p99 of windows with a snapshot vs without, one Arbiter node, N open transactions.")
public final class SnapshotSpikeCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLICATION_ID = "arbiter-bench";

    @Option(names = "--open", description = "transactions begun and left open before the load (default 100000)")
    int open = 100_000;

    @Option(names = "--open-threads", description = "threads that open them (default 32)")
    int openThreads = 32;

    @Option(names = "--open-timeout-ms", description = "timeout of the open transactions (default 1800000: 30 min)")
    int openTimeoutMs = 1_800_000;

    @Option(
            names = {"-t", "--threads"},
            description = "load threads, empty workload (default 16)")
    int threads = 16;

    @Option(names = "--warmup", description = "warm-up seconds (default 10)")
    double warmup = 10;

    @Option(
            names = {"-d", "--duration"},
            description = "measured seconds (default 60)")
    double duration = 60;

    @Option(names = "--window-ms", description = "window length (default 1000)")
    long windowMs = 1000;

    @Option(names = "--snapshot-every-s", description = "the node's arbiter.snapshot-interval-s (default 5)")
    int snapshotEveryS = 5;

    @Option(
            names = "--snapshot-threshold",
            description = "the node's arbiter.snapshot-threshold, log entries "
                    + "(default 10000000: snapshots come from the timer only)")
    long snapshotThreshold = 10_000_000L;

    @Option(
            names = "--capture-margin-ms",
            description = "the capture on the apply thread precedes the logged write "
                    + "and is not timed: a snapshot occupies [write start - margin, write end] (default 250)")
    long captureMarginMs = 250;

    @Option(names = "--max-ratio", description = "pass if p99 with / p99 without <= this (default 1.5)")
    double maxRatio = 1.5;

    @Option(names = "--tx-timeout-ms", description = "timeout of the load's transactions (default 60000)")
    int txTimeoutMs = 60_000;

    @Option(
            names = "--base-port",
            description = "HTTP B-999, Seata RPC B+1, Raft B+1001 (default 28090: " + "27091/28091/29091)")
    int basePort = 28090;

    @Option(
            names = "--out",
            description = "JSON line appended here (default <root>/docs/bench/" + "snapshot-spike-<ts>.jsonl)")
    Path out;

    @Option(
            names = "--work-dir",
            description = "node data and log (default <root>/arbiter-bench/target/bench-work/" + "snapshot-spike-<ts>)")
    Path workDir;

    @Option(names = "--arbiter", description = "Arbiter launcher (default <root>/bin/arbiter)")
    Path arbiterLauncher;

    @Option(names = "--coordinator-heap", description = "-Xmx of the node JVM (default 1g)")
    String coordinatorHeap = "1g";

    @Option(names = "--start-timeout", description = "seconds for the node to serve (default 180)")
    int startTimeout = 180;

    @Option(names = "--ready-timeout", description = "seconds for the first transaction to succeed (default 60)")
    int readyTimeout = 60;

    private final AtomicReference<ArbiterCluster> running = new AtomicReference<>();

    @Override
    public Integer call() throws Exception {
        if (open < 0
                || openThreads < 1
                || threads < 1
                || warmup < 0
                || duration <= 0
                || windowMs < 1
                || snapshotEveryS < 1
                || snapshotThreshold < 1
                || captureMarginMs < 0
                || maxRatio <= 0) {
            System.err.println("bench: --open >= 0, --open-threads/--threads/--window-ms/--snapshot-every-s/"
                    + "--snapshot-threshold >= 1, --warmup >= 0, --duration > 0, --capture-margin-ms >= 0, "
                    + "--max-ratio > 0");
            return 2;
        }
        Path root =
                Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        String stamp = LocalDateTime.now().format(STAMP);
        Path work = workDir != null ? workDir : root.resolve("arbiter-bench/target/bench-work/snapshot-spike-" + stamp);
        Path jsonl = out != null ? out : root.resolve("docs/bench/snapshot-spike-" + stamp + ".jsonl");
        Path launcher = arbiterLauncher != null ? arbiterLauncher : root.resolve("bin/arbiter");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("arbiter.snapshot-interval-s", String.valueOf(snapshotEveryS));
        config.put("arbiter.snapshot-threshold", String.valueOf(snapshotThreshold));
        ArbiterCluster node = new ArbiterCluster(
                        1,
                        basePort,
                        launcher,
                        work,
                        "-Xmx" + coordinatorHeap,
                        startTimeout,
                        ArbiterCluster.Mode.LOCAL_CLUSTER)
                .withConfig(config);
        Runtime.getRuntime().addShutdownHook(new Thread(this::abort, "bench-abort"));
        String timestamp = Instant.now().toString();
        System.out.printf(
                Locale.ROOT,
                "snapshot-spike: one Arbiter node (RPC %d, HTTP %d, snapshot every %d s), "
                        + "%d open transactions, empty workload at %d threads, %.0f s warm-up + %.0f s in %d ms "
                        + "windows; work dir %s%n",
                Ports.rpc(basePort, 1),
                Ports.http(basePort, 1),
                snapshotEveryS,
                open,
                threads,
                warmup,
                duration,
                windowMs,
                work);
        Map<String, Object> line;
        boolean ok;
        running.set(node);
        try {
            node.start();
            try (SnapshotWatcher watcher = new SnapshotWatcher(node.logs().get(0), node.dataDir(), 50).start()) {
                line = measure(node, watcher, timestamp);
            }
            ok = Boolean.TRUE.equals(line.get("ok"));
        } catch (Exception e) {
            line = failedLine(
                    timestamp, "node or client failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            ok = false;
        } finally {
            node.close();
            running.set(null);
        }
        line.put("workDir", work.toString());
        String json = JSON.writeValueAsString(line);
        System.out.println(ok ? "OK" : "FAILED: " + line.get("failure"));
        System.out.println(json);
        try {
            if (jsonl.getParent() != null) {
                Files.createDirectories(jsonl.getParent());
            }
            Files.writeString(
                    jsonl,
                    json + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.out.println("result: " + jsonl);
        } catch (IOException e) {
            System.err.println("bench: cannot write " + jsonl + ": " + e.getMessage());
        }
        return ok ? 0 : 1;
    }

    private Map<String, Object> measure(ArbiterCluster node, SnapshotWatcher watcher, String timestamp)
            throws Exception {
        String health = "http://127.0.0.1:" + Ports.http(basePort, 1) + "/health";
        Target target = node.target();
        target.clientProperties().forEach(System::setProperty);
        System.setProperty("transport.rpcTmRequestTimeout", "30000");
        TMClient.init(APPLICATION_ID, Target.TX_GROUP);
        LoadOptions lo = new LoadOptions();
        lo.txTimeoutMs = txTimeoutMs;
        Workload workload = Workload.create("empty", lo);
        awaitFirstSuccess(workload, target);

        OpenTransactions.Outcome opened = OpenTransactions.open(open, openThreads, openTimeoutMs, "bench-open");
        Integer before = transactions(health);
        System.out.printf(
                Locale.ROOT,
                "opened %d transactions in %.1f s (%d failed); node reports %s%n",
                opened.opened(),
                opened.seconds(),
                opened.failed(),
                before);

        WindowedLoad load = new WindowedLoad(workload, threads, windowMs);
        load.start(warmup, duration);
        List<Long> pids = node.pids();
        load.sleepUntil(load.measuredFromMs());
        ProcCpu.Sample cpu0 = ProcCpu.available() ? ProcCpu.sampleTree(pids) : null;
        load.sleepUntil(load.measuredToMs());
        ProcCpu.Sample cpu1 = ProcCpu.available() ? ProcCpu.sampleTree(pids) : null;
        List<SpikeAnalysis.Window> windows = load.await(Math.max(60, txTimeoutMs / 1000 + 30));
        Integer after = transactions(health);
        // a snapshot whose write was running when the period ended is logged when it finishes
        Thread.sleep(3_000);
        watcher.close();
        List<SpikeAnalysis.Snapshot> all = watcher.snapshots();
        SpikeAnalysis.Result r = SpikeAnalysis.analyze(windows, windowMs, all, captureMarginMs, maxRatio);

        if (opened.failed() > 0) {
            r = r.withProblem(opened.failed() + " of " + open + " begins failed (first: " + opened.firstError() + ")");
        }
        if (before == null || before < opened.opened()) {
            r = r.withProblem(
                    "the node reported " + before + " transactions after " + opened.opened() + " were opened");
        }
        if (after == null || after < opened.opened()) {
            r = r.withProblem("the node reported " + after + " transactions after the load, fewer than the "
                    + opened.opened() + " left open");
        }
        if (r.errors() > 0) {
            r = r.withProblem(r.errors() + " load transactions failed in the measured period");
        }

        double measuredS = (load.measuredToMs() - load.measuredFromMs()) / 1000.0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", 1);
        m.put("kind", "snapshot-spike");
        m.put("timestamp", timestamp);
        m.put("load", "empty");
        m.put("threads", threads);
        m.put("warmupS", warmup);
        m.put("durationS", duration);
        m.put("windowMs", windowMs);
        m.put("snapshotEveryS", snapshotEveryS);
        m.put("snapshotThreshold", snapshotThreshold);
        m.put("captureMarginMs", captureMarginMs);
        m.put("target", target.toString());
        m.put("openRequested", open);
        m.put("openTransactions", opened.opened());
        m.put("openSeconds", round(opened.seconds(), 2));
        m.put("nodeTransactionsBefore", before);
        m.put("nodeTransactionsAfter", after);
        m.put("measuredFrom", Instant.ofEpochMilli(load.measuredFromMs()).toString());
        m.put("measuredTo", Instant.ofEpochMilli(load.measuredToMs()).toString());
        m.put("snapshotsSeen", r.snapshotsInPeriod().size());
        m.put("snapshotsTotal", all.size());
        m.put("snapshotLogLines", watcher.logLines());
        m.put("snapshotFilesSeen", watcher.filesSeen());
        m.put(
                "snapshotWriteMs",
                r.snapshotsInPeriod().stream()
                        .map(SpikeAnalysis.Snapshot::writeMs)
                        .toList());
        m.put(
                "snapshotBytes",
                r.snapshotsInPeriod().stream()
                        .map(SpikeAnalysis.Snapshot::bytes)
                        .toList());
        List<Map<String, Object>> snaps = new ArrayList<>();
        for (SpikeAnalysis.Snapshot s : r.snapshotsInPeriod()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("index", s.index());
            sm.put("bytes", s.bytes());
            sm.put("writeMs", s.writeMs());
            sm.put("writeEnd", Instant.ofEpochMilli(s.writeEndMs()).toString());
            sm.put("source", s.source());
            snaps.add(sm);
        }
        m.put("snapshots", snaps);
        m.put("windowsWith", r.windowsWith());
        m.put("windowsWithout", r.windowsWithout());
        m.put("windowsEmpty", r.windowsEmpty());
        m.put("transactionsWith", r.transactionsWith());
        m.put("transactionsWithout", r.transactionsWithout());
        m.put("p99WithMs", r.p99WithMs());
        m.put("p99WithoutMs", r.p99WithoutMs());
        m.put("ratio", r.ratio());
        m.put("maxRatio", maxRatio);
        m.put("worstWindowP99WithMs", r.worstWindowP99WithMs());
        m.put("worstWindowP99WithoutMs", r.worstWindowP99WithoutMs());
        m.put("transactions", r.transactions());
        m.put("errors", r.errors());
        m.put("tps", round(r.transactions() / measuredS, 1));
        if (cpu0 != null && cpu1 != null) {
            m.put("coordinatorCpuS", round(cpu1.secondsSince(cpu0), 3));
        }
        List<String> errs = load.errorSamples();
        if (!errs.isEmpty()) {
            m.put("errorSamples", errs);
        }
        // per window: start offset in ms from measuredFrom, transactions, p99 ms, 1 if it overlaps a snapshot
        List<List<Object>> ws = new ArrayList<>();
        for (SpikeAnalysis.WindowSummary w : r.windows()) {
            ws.add(List.of(w.startMs() - load.measuredFromMs(), w.transactions(), w.p99Ms(), w.withSnapshot() ? 1 : 0));
        }
        m.put("windows", ws);
        m.put("ok", r.ok());
        m.put("failure", r.failure());

        System.out.printf(
                Locale.ROOT,
                "snapshots in the measured period: %d (write ms %s, bytes %s; source %s)%n",
                r.snapshotsInPeriod().size(),
                m.get("snapshotWriteMs"),
                m.get("snapshotBytes"),
                r.snapshotsInPeriod().stream()
                        .map(SpikeAnalysis.Snapshot::source)
                        .distinct()
                        .toList());
        System.out.printf(
                Locale.ROOT,
                "windows: %d with a snapshot, %d without (%d empty); %d transactions, " + "%d errors, %.1f tx/s%n",
                r.windowsWith(),
                r.windowsWithout(),
                r.windowsEmpty(),
                r.transactions(),
                r.errors(),
                r.transactions() / measuredS);
        System.out.printf(
                Locale.ROOT,
                "p99 with a snapshot %.3f ms, without %.3f ms, ratio %s (max %.2f); worst "
                        + "window p99 with %.3f ms, without %.3f ms%n",
                r.p99WithMs(),
                r.p99WithoutMs(),
                r.ratio() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", r.ratio()),
                maxRatio,
                r.worstWindowP99WithMs(),
                r.worstWindowP99WithoutMs());
        return m;
    }

    private Map<String, Object> failedLine(String timestamp, String failure) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", 1);
        m.put("kind", "snapshot-spike");
        m.put("timestamp", timestamp);
        m.put("openRequested", open);
        m.put("threads", threads);
        m.put("snapshotEveryS", snapshotEveryS);
        m.put("ok", false);
        m.put("failure", failure);
        return m;
    }

    private void awaitFirstSuccess(Workload workload, Target target) throws InterruptedException {
        long deadline = System.nanoTime() + readyTimeout * 1_000_000_000L;
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                workload.runOne();
                return;
            } catch (Throwable t) {
                last = t;
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException(
                "no transaction succeeded within " + readyTimeout + " s against " + target
                        + (last == null ? "" : ": " + last),
                last);
    }

    /** {@code transactions} of the node's /health, or null. */
    private static Integer transactions(String url) {
        Http.Response r = Http.get(url);
        if (r == null || r.status() != 200) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(r.body()).path("transactions");
            return n.isNumber() ? n.asInt() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Ctrl-C: stop the node. */
    private void abort() {
        ArbiterCluster c = running.get();
        if (c != null) {
            c.close();
        }
    }
}
