package io.arbiter.bench.load;

import io.arbiter.bench.metrics.ListeningPids;
import io.arbiter.bench.metrics.ProcCpu;
import io.seata.core.protocol.Version;
import io.seata.rm.RMClient;
import io.seata.tm.TMClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One load run in this JVM (Seata's client configuration is static, so one run per JVM): initialises the real
 * Seata 2.0 TM/RM client against the target, waits for a first successful transaction, runs {@code threads}
 * closed-loop threads for warm-up + measured window, samples the coordinators' CPU at the window's edges, checks
 * the workload's end state and prints one JSON line ({@link RunResult}) on standard output.
 */
public final class LoadRunner {
    static final String APPLICATION_ID = "arbiter-bench";
    private static final int MAX_ERROR_SAMPLES = 8;

    private final LoadOptions o;

    public LoadRunner(LoadOptions options) {
        this.o = options;
    }

    /** Runs and returns the result; the caller prints it and exits the JVM (the Seata client has live threads). */
    public RunResult run() {
        String timestamp = Instant.now().toString();
        Target target;
        Workload workload;
        try {
            target = Target.parse(o.target);
            workload = Workload.create(o.workload, o);
            if (o.threads < 1 || o.duration <= 0 || o.warmup < 0) {
                throw new IllegalArgumentException("--threads must be >= 1, --duration > 0, --warmup >= 0");
            }
        } catch (IllegalArgumentException e) {
            return RunResult.failed(
                    timestamp, o.config, o.workload, o.threads, o.warmup, o.duration, o.target, e.getMessage());
        }
        try (workload) {
            return measure(timestamp, target, workload);
        } catch (Exception e) {
            return RunResult.failed(
                    timestamp, o.config, o.workload, o.threads, o.warmup, o.duration, o.target, describe(e));
        }
    }

    private RunResult measure(String timestamp, Target target, Workload workload) throws Exception {
        List<Long> pids = new ArrayList<>(o.coordinatorPids);
        if (pids.isEmpty() && ProcCpu.available()) {
            pids.addAll(ListeningPids.find(target.ports()));
        }
        target.clientProperties().forEach(System::setProperty);
        System.setProperty("transport.rpcTmRequestTimeout", "30000");
        TMClient.init(APPLICATION_ID, Target.TX_GROUP);
        if (workload.needsRm()) {
            RMClient.init(APPLICATION_ID, Target.TX_GROUP);
        }
        workload.setUp();

        LongAdder succeededAll = new LongAdder();
        ErrorSamples samples = new ErrorSamples();
        awaitFirstSuccess(workload, succeededAll, samples);

        int n = o.threads;
        long start = System.nanoTime();
        long warmEnd = start + seconds(o.warmup);
        long measureEnd = warmEnd + seconds(o.duration);
        Histogram[] histograms = new Histogram[n];
        long[] ok = new long[n];
        long[] failed = new long[n];
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            final int idx = i;
            histograms[i] = new Histogram(3);
            Thread t = new Thread(
                    () -> {
                        try {
                            loop(
                                    workload,
                                    warmEnd,
                                    measureEnd,
                                    histograms[idx],
                                    ok,
                                    failed,
                                    idx,
                                    succeededAll,
                                    samples);
                        } finally {
                            done.countDown();
                        }
                    },
                    "load-" + i);
            t.setDaemon(true);
            t.start();
        }
        AtomicReference<ProcCpu.Sample> cpuStart = new AtomicReference<>();
        AtomicReference<ProcCpu.Sample> cpuEnd = new AtomicReference<>();
        long selfPid = ProcessHandle.current().pid();
        long[] selfTicks = new long[2];
        sleepUntil(warmEnd);
        cpuStart.set(ProcCpu.sampleTree(pids));
        selfTicks[0] = ProcCpu.ticks(selfPid);
        sleepUntil(measureEnd);
        cpuEnd.set(ProcCpu.sampleTree(pids));
        selfTicks[1] = ProcCpu.ticks(selfPid);
        double measuredS = (cpuEnd.get().nanoTime() - cpuStart.get().nanoTime()) / 1e9;
        if (!done.await(Math.max(60, o.txTimeoutMs / 1000 + 30), TimeUnit.SECONDS)) {
            samples.add("load threads still busy " + Math.max(60, o.txTimeoutMs / 1000 + 30)
                    + " s after the window closed");
        }

        Histogram all = new Histogram(3);
        long transactions = 0;
        long errors = 0;
        for (int i = 0; i < n; i++) {
            synchronized (histograms[i]) {
                all.add(histograms[i]);
                transactions += ok[i];
                errors += failed[i];
            }
        }
        Map<String, Object> check = workload.verify(succeededAll.sum());
        boolean passed = workload.passed(check);

        Double cpuS = null;
        Double per1000 = null;
        Double busiest = null;
        Double jit = null;
        Set<Long> measuredPids = new LinkedHashSet<>(cpuStart.get().pids());
        measuredPids.addAll(cpuEnd.get().pids());
        if (!pids.isEmpty() && ProcCpu.available()) {
            cpuS = round(cpuEnd.get().secondsSince(cpuStart.get()), 3);
            per1000 = transactions == 0 ? null : round(cpuS * 1000.0 / transactions, 4);
            Double share = cpuEnd.get().busiestShareSince(cpuStart.get());
            busiest = share == null ? null : round(share, 3);
            jit = round(cpuEnd.get().jitSecondsSince(cpuStart.get()), 3);
        }
        Double clientCpu = selfTicks[0] > 0 && selfTicks[1] > 0
                ? round((selfTicks[1] - selfTicks[0]) / (double) ProcCpu.ticksPerSecond(), 3)
                : null;
        String failure = null;
        if (transactions == 0) {
            failure = "no transaction succeeded in the measured window";
        } else if (!passed) {
            failure = "end-of-run check failed";
        }
        return new RunResult(
                1,
                timestamp,
                o.config,
                o.workload,
                n,
                o.warmup,
                o.duration,
                target.toString(),
                Version.getCurrent(),
                transactions,
                errors,
                round(measuredS, 3),
                round(transactions / measuredS, 1),
                ms(all.getValueAtPercentile(50)),
                ms(all.getValueAtPercentile(95)),
                ms(all.getValueAtPercentile(99)),
                ms(all.getValueAtPercentile(99.9)),
                ms(all.getMaxValue()),
                round(all.getMean() / 1000.0, 3),
                cpuS,
                per1000,
                List.copyOf(measuredPids),
                clientCpu,
                busiest,
                samples.list(),
                check.isEmpty() ? null : check,
                failure == null,
                failure,
                jit);
    }

    private void loop(
            Workload workload,
            long warmEnd,
            long measureEnd,
            Histogram histogram,
            long[] ok,
            long[] failed,
            int idx,
            LongAdder succeededAll,
            ErrorSamples samples) {
        while (true) {
            long begin = System.nanoTime();
            if (begin >= measureEnd) {
                return;
            }
            boolean success;
            try {
                workload.runOne();
                success = true;
                succeededAll.increment();
            } catch (Throwable t) {
                success = false;
                samples.add(describe(t));
            }
            long end = System.nanoTime();
            if (end >= warmEnd && end <= measureEnd) {
                synchronized (histogram) {
                    if (success) {
                        histogram.recordValue(Math.max(1, (end - begin) / 1000));
                        ok[idx]++;
                    } else {
                        failed[idx]++;
                    }
                }
            }
        }
    }

    /** Retries one transaction until it succeeds (the client connects in the background) or the time is up. */
    private void awaitFirstSuccess(Workload workload, LongAdder succeededAll, ErrorSamples samples)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds(o.readyTimeout);
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                workload.runOne();
                succeededAll.increment();
                return;
            } catch (Throwable t) {
                last = t;
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException(
                "no transaction succeeded within " + o.readyTimeout + " s against " + o.target
                        + (last == null ? "" : ": " + describe(last)),
                last);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
        }
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        Throwable c = t;
        for (int depth = 0; c != null && depth < 4; depth++, c = c.getCause() == c ? null : c.getCause()) {
            if (depth > 0) {
                b.append(" <- ");
            }
            b.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                String m = c.getMessage().replaceAll("\\s+", " ");
                b.append(": ").append(m.length() > 200 ? m.substring(0, 200) + "..." : m);
            }
        }
        return b.toString();
    }

    /** The first few distinct error descriptions, with a count each. */
    static final class ErrorSamples {
        private final Map<String, Long> counts = new java.util.LinkedHashMap<>();

        synchronized void add(String description) {
            // XIDs, branch ids and addresses differ from error to error: count by shape
            String key = description.replaceAll("\\d+", "#");
            if (counts.containsKey(key) || counts.size() < MAX_ERROR_SAMPLES) {
                counts.merge(key, 1L, Long::sum);
            }
        }

        synchronized List<String> list() {
            if (counts.isEmpty()) {
                return null;
            }
            return counts.entrySet().stream()
                    .map(e -> e.getValue() + "x " + e.getKey())
                    .toList();
        }
    }

    /** Prints the result line (and appends it to --out) and returns the process exit code. */
    public static int report(RunResult r, LoadOptions options) {
        String line = r.toJsonLine();
        System.out.println(line);
        System.out.flush();
        if (options.out != null) {
            try {
                Path p = Path.of(options.out);
                if (p.getParent() != null) {
                    Files.createDirectories(p.getParent());
                }
                Files.writeString(
                        p,
                        line + System.lineSeparator(),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                System.err.println("bench: cannot write " + options.out + ": " + e.getMessage());
            }
        }
        return r.ok() ? 0 : 1;
    }
}
