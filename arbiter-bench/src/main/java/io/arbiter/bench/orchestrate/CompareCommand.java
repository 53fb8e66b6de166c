package io.arbiter.bench.orchestrate;

import io.arbiter.bench.load.LoadOptions;
import io.arbiter.bench.load.RunResult;
import io.arbiter.bench.report.Reports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench compare [--quick]}: for every coordinator configuration × (workload, threads) point, starts the
 * coordinator fresh, runs one load JVM against it, collects its JSON line and stops the coordinator; then writes
 * {@code docs/bench/results-<ts>.jsonl}, {@code report-<ts>.html} (+ {@code .png}) and prints the ratio table.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = "Seata 2.0.0 (file, raft-3) vs Arbiter (1, 3 nodes) on the same workloads and client.")
public final class CompareCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    @Option(names = "--quick", description = "3 s warm-up + 10 s measured, points " + Plan.QUICK_POINTS)
    boolean quick;

    @Option(
            names = "--configs",
            description = "comma list of seata-file, seata-raft-N, arbiter-N, "
                    + "arbiter-N-grouplist, arbiter-N-leader, with -fF for F fragments and -fF-lL for L of them owning the lock slots (default seata-file,seata-raft-3,"
                    + "arbiter-1,arbiter-3)")
    String configs;

    @Option(names = "--points", description = "workload:threads list (default " + Plan.DEFAULT_POINTS + ")")
    String points;

    @Option(names = "--warmup", description = "warm-up seconds per run (default 10; --quick 3)")
    Double warmup;

    @Option(names = "--duration", description = "measured seconds per run (default 30; --quick 10)")
    Double duration;

    @Option(
            names = "--repeat",
            description = "run the configuration list this many times in turn; the tables and charts then show "
                    + "each configuration's median (default 1)")
    int repeat = 1;

    @Option(
            names = "--base-port",
            description = "node k uses HTTP B-1000+k, RPC B+k, Raft B+1000+k " + "(default 8090: 7091/8091/9091, ...)")
    int basePort = 8090;

    @Option(names = "--out-dir", description = "where results/report go (default <root>/docs/bench)")
    Path outDir;

    @Option(
            names = "--work-dir",
            description = "coordinator data and logs (default " + "<root>/arbiter-bench/target/bench-work)")
    Path workDir;

    @Option(
            names = "--seata-classpath-file",
            description = "the Seata server's classpath (bin/bench resolves it "
                    + "into arbiter-bench/target/seata-server.classpath)")
    Path seataClasspathFile;

    @Option(names = "--arbiter", description = "Arbiter launcher (default <root>/bin/arbiter)")
    Path arbiterLauncher;

    @Option(names = "--coordinator-heap", description = "-Xmx of every coordinator node JVM (default 1g)")
    String coordinatorHeap = "1g";

    @Option(names = "--load-java-opts", description = "JVM options of the load JVM (default -Xmx1g)")
    String loadJavaOpts = "-Xmx1g";

    @Option(names = "--start-timeout", description = "seconds for a coordinator to serve (default 180)")
    int startTimeout = 180;

    @Option(
            names = "--seata-log-level",
            description = "logging.level.io.seata of the Seata server (default: as "
                    + "shipped, INFO: a few lines per transaction, on the console and in files like the distribution)")
    String seataLogLevel;

    @Option(names = "--at-rows", description = "AT workload: stock rows (default 100000)")
    int atRows = 100_000;

    private final AtomicReference<Coordinator> running = new AtomicReference<>();
    private final AtomicReference<Process> loadProcess = new AtomicReference<>();

    @Override
    public Integer call() throws Exception {
        Path root =
                Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Plan plan;
        try {
            plan = Plan.of(quick, configs, points, warmup, duration, repeat);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        Path out = outDir != null ? outDir : root.resolve("docs/bench");
        Path work = (workDir != null ? workDir : root.resolve("arbiter-bench/target/bench-work"));
        String stamp = LocalDateTime.now().format(STAMP);
        Path runDir = work.resolve(stamp);
        Path launcher = arbiterLauncher != null ? arbiterLauncher : root.resolve("bin/arbiter");
        String seataClasspath = null;
        if (plan.configs().stream().anyMatch(c -> c.startsWith("seata"))) {
            Path cpFile = seataClasspathFile != null
                    ? seataClasspathFile
                    : root.resolve("arbiter-bench/target/seata-server.classpath");
            if (!Files.isReadable(cpFile)) {
                System.err.println("bench: no Seata server classpath at " + cpFile + " (bin/bench resolves it with "
                        + "mvn -f arbiter-bench/seata-server/pom.xml dependency:build-classpath)");
                return 2;
            }
            seataClasspath = Files.readString(cpFile).trim();
        }
        Files.createDirectories(out);
        Path jsonl = out.resolve("results-" + stamp + ".jsonl");
        Runtime.getRuntime().addShutdownHook(new Thread(this::abort, "bench-abort"));

        System.out.printf(
                Locale.ROOT,
                "bench: %d runs (%s × %s), %.0f s warm-up + %.0f s each; results %s%n",
                plan.runs(),
                plan.configs(),
                plan.points(),
                plan.warmupS(),
                plan.durationS(),
                jsonl);
        List<RunResult> results = new ArrayList<>();
        int index = 0;
        for (String config : plan.configs()) {
            for (Plan.Point point : plan.points()) {
                index++;
                Path pointDir = runDir.resolve(
                        String.format(Locale.ROOT, "%02d-%s-%s-%d", index, config, point.workload(), point.threads()));
                System.out.printf(Locale.ROOT, "[%d/%d] %s %s ... ", index, plan.runs(), config, point);
                System.out.flush();
                RunResult r = runPoint(config, point, plan, pointDir, launcher, seataClasspath);
                results.add(r);
                Files.writeString(
                        jsonl,
                        r.toJsonLine() + System.lineSeparator(),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                System.out.println(Reports.oneLine(r));
            }
        }
        Reports.Written written = Reports.write(results, out, stamp);
        System.out.println();
        System.out.println(Reports.table(results));
        System.out.println("results: " + jsonl);
        System.out.println("report:  " + written.html()
                + (written.png() != null ? "\n         " + written.png() : "  (no PNG: " + written.pngProblem() + ")"));
        System.out.println("logs:    " + runDir);
        return results.stream().allMatch(RunResult::ok) ? 0 : 1;
    }

    private RunResult runPoint(
            String config, Plan.Point point, Plan plan, Path pointDir, Path launcher, String seataClasspath) {
        String now = Instant.now().toString();
        Coordinator c;
        try {
            c = coordinator(config, pointDir, launcher, seataClasspath);
        } catch (IllegalArgumentException e) {
            return RunResult.failed(
                    now,
                    config,
                    point.workload(),
                    point.threads(),
                    plan.warmupS(),
                    plan.durationS(),
                    null,
                    e.getMessage());
        }
        running.set(c);
        try {
            try {
                c.start();
            } catch (Exception e) {
                return RunResult.failed(
                        now,
                        config,
                        point.workload(),
                        point.threads(),
                        plan.warmupS(),
                        plan.durationS(),
                        c.target().toString(),
                        "coordinator did not start: " + e.getMessage());
            }
            LoadOptions o = new LoadOptions();
            o.workload = point.workload();
            o.threads = point.threads();
            o.warmup = plan.warmupS();
            o.duration = plan.durationS();
            o.target = c.target().toString();
            o.config = config;
            o.coordinatorPids = new ArrayList<>(c.pids());
            o.atRows = atRows;
            RunResult result = runLoad(o, pointDir);
            c.describeLayout(pointDir);
            return result;
        } finally {
            c.close();
            running.set(null);
        }
    }

    private Coordinator coordinator(String config, Path dir, Path launcher, String seataClasspath) {
        List<String> seataOpts = new ArrayList<>(List.of("-Xmx" + coordinatorHeap));
        if (seataLogLevel != null) {
            seataOpts.add("-Dlogging.level.io.seata=" + seataLogLevel);
        }
        if (config.equals("seata-file")) {
            return new SeataServer(false, 1, basePort, seataClasspath, dir, seataOpts, startTimeout);
        }
        if (config.startsWith("seata-raft-")) {
            return new SeataServer(
                    true,
                    Integer.parseInt(config.substring("seata-raft-".length())),
                    basePort,
                    seataClasspath,
                    dir,
                    seataOpts,
                    startTimeout);
        }
        if (config.startsWith("arbiter-")) {
            // a single JVM option: local-cluster passes ARBITER_NODE_JAVA_OPTS as one argument
            return ArbiterCluster.of(config, basePort, launcher, dir, "-Xmx" + coordinatorHeap, startTimeout);
        }
        throw new IllegalArgumentException("unknown configuration " + config);
    }

    /** Runs {@code bench run} in its own JVM (Seata's client configuration is per JVM) and parses its line. */
    private RunResult runLoad(LoadOptions o, Path dir) {
        String now = Instant.now().toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(loadJavaOpts.trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.arbiter.bench.BenchMain");
        cmd.add("run");
        cmd.addAll(o.toArgs());
        Path log = dir.resolve("load.log");
        try {
            Files.createDirectories(dir);
            Files.writeString(log, "# " + String.join(" ", cmd) + System.lineSeparator());
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            loadProcess.set(p);
            AtomicReference<RunResult> parsed = new AtomicReference<>();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader r =
                                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                if (RunResult.looksLikeResult(line)) {
                                    parsed.set(RunResult.fromJson(line));
                                }
                                Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
                            }
                        } catch (IOException | IllegalArgumentException e) {
                            // the process ended or printed garbage; judged below
                        }
                    },
                    "load-stdout");
            reader.setDaemon(true);
            reader.start();
            long budget = (long) (o.warmup + o.duration + o.readyTimeout) + 240;
            if (!p.waitFor(budget, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return RunResult.failed(
                        now,
                        o.config,
                        o.workload,
                        o.threads,
                        o.warmup,
                        o.duration,
                        o.target,
                        "load JVM did not finish within " + budget + " s; see " + log);
            }
            reader.join(5000);
            RunResult r = parsed.get();
            if (r == null) {
                return RunResult.failed(
                        now,
                        o.config,
                        o.workload,
                        o.threads,
                        o.warmup,
                        o.duration,
                        o.target,
                        "load JVM exited " + p.exitValue() + " without a result; see " + log);
            }
            return r;
        } catch (IOException e) {
            return RunResult.failed(
                    now,
                    o.config,
                    o.workload,
                    o.threads,
                    o.warmup,
                    o.duration,
                    o.target,
                    "cannot run the load JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunResult.failed(
                    now, o.config, o.workload, o.threads, o.warmup, o.duration, o.target, "interrupted");
        } finally {
            loadProcess.set(null);
        }
    }

    /** Ctrl-C: stop the load JVM and the coordinator that are running. */
    private void abort() {
        Process p = loadProcess.get();
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
        }
        Coordinator c = running.get();
        if (c != null) {
            c.close();
        }
    }
}
