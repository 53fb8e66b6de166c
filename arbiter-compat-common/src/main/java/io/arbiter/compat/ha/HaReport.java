package io.arbiter.compat.ha;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The figures of one high-availability run and the problems its checks found, written as Markdown to
 * {@code target/chaos/<name>.md} and printed.
 *
 * <p>Three pauses per kill. <b>Cluster resume</b>: from the SIGKILL until every surviving node has completed a
 * begin + commit sent to it directly (a raw TM per node, retrying): the server side of a failover, free of any
 * client's discovery. <b>Application resume</b>: until the first transaction that the application (the Seata
 * client) started after the kill has committed (a probe starts one right after the kill, and again after each
 * failure): how long new work is held up, the client's choice of node included. <b>Worker stall</b>: from the SIGKILL until every workload worker has committed a
 * transaction it started after the kill; a worker blocked in a request when the kill came counts until its next
 * transaction completes, so this includes the client's own timeouts.
 *
 * <p>Records of workload workers have {@code worker >= 0}; the resume probes' have {@code worker < 0}: they count
 * for the durability checks, not for the application's failures.
 */
public final class HaReport {
    private final String name;
    private final Timeline timeline;
    private final List<TxRecord> records;
    private final int workers;
    private final Map<String, String> setup = new LinkedHashMap<>();
    private final Map<String, String> checks = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<Long> pausesNs = new ArrayList<>();

    public HaReport(String name, Timeline timeline, List<TxRecord> records, int workers) {
        this.name = name;
        this.timeline = timeline;
        this.records = records.stream()
                .sorted(Comparator.comparingLong(TxRecord::startNs))
                .toList();
        this.workers = workers;
        for (Timeline.Kill k : timeline.kills()) {
            pausesNs.add(pauseAfter(k.killNs()));
        }
    }

    /** When each kill happened (nanoTime). */
    public List<Long> killsNs() {
        return timeline.kills().stream().map(Timeline.Kill::killNs).toList();
    }

    /** The workload's records (not the probes'). */
    public List<TxRecord> workload() {
        return records.stream().filter(r -> r.worker() >= 0).toList();
    }

    /** The workload's failed transactions. */
    public List<TxRecord> failures() {
        return workload().stream().filter(r -> !r.committed()).toList();
    }

    /** Application resume of each kill (ns; Long.MAX_VALUE if nothing committed). */
    public List<Long> resumesNs() {
        return timeline.kills().stream()
                .map(k -> k.resumedNs() > 0 ? k.resumedNs() - k.killNs() : Long.MAX_VALUE)
                .toList();
    }

    /** Cluster resume of each kill (ns; Long.MAX_VALUE if a surviving node never served). */
    public List<Long> clusterResumesNs() {
        return timeline.kills().stream()
                .map(k -> k.servedNs() > 0 ? k.servedNs() - k.killNs() : Long.MAX_VALUE)
                .toList();
    }

    /** A line of the setup section (client, network, settings changed...). */
    public HaReport setup(String key, String value) {
        setup.put(key, value);
        return this;
    }

    /** A check and its result, shown in the report whatever the result. */
    public HaReport check(String what, String result) {
        checks.put(what, result);
        return this;
    }

    /** A failed check (the test fails with every problem listed). */
    public HaReport problem(String text) {
        problems.add(text);
        return this;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Every check and its result so far, in the order they were made. */
    public Map<String, String> checks() {
        return java.util.Collections.unmodifiableMap(checks);
    }

    /** The failover pause of each kill, in kill order (ns). */
    public List<Long> pausesNs() {
        return List.copyOf(pausesNs);
    }

    public List<TxRecord> records() {
        return records;
    }

    public long count(Predicate<TxRecord> p) {
        return records.stream().filter(p).count();
    }

    /** When the last of the workers finished its first transaction begun at or after {@code fromNs}. */
    public long pauseAfter(long fromNs) {
        long worst = 0;
        for (int w = 0; w < workers; w++) {
            int worker = w;
            long resumed = records.stream()
                    .filter(r -> r.worker() == worker && r.startNs() >= fromNs && r.committed())
                    .mapToLong(TxRecord::endNs)
                    .min()
                    .orElse(Long.MAX_VALUE);
            worst = Math.max(worst, resumed == Long.MAX_VALUE ? Long.MAX_VALUE : resumed - fromNs);
        }
        return worst;
    }

    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    public static String ms(long ns) {
        return ns == Long.MAX_VALUE ? "never" : String.format("%.0f ms", ns / 1e6);
    }

    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(name).append("\n\n");
        setup.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        List<TxRecord> workload = workload();
        long at = workload.stream().filter(r -> r.kind() == TxRecord.Kind.AT).count();
        long tcc = workload.stream().filter(r -> r.kind() == TxRecord.Kind.TCC).count();
        long committed = workload.stream().filter(TxRecord::committed).count();
        long failed = workload.size() - committed;
        double runS = records.isEmpty()
                ? 0
                : (records.stream().mapToLong(TxRecord::endNs).max().orElse(0)
                                - records.get(0).startNs())
                        / 1e9;
        List<Long> latencies = records.stream()
                .filter(TxRecord::committed)
                .map(TxRecord::latencyNs)
                .sorted()
                .toList();
        List<Long> pauses = pausesNs.stream().sorted().toList();
        b.append("\n## Figures\n\n| figure | value |\n|---|---|\n");
        row(
                b,
                "transactions",
                workload.size() + " (AT " + at + ", TCC " + tcc + ") in " + String.format("%.0f s", runS));
        row(
                b,
                "committed (acknowledged)",
                committed + " (AT "
                        + workload.stream()
                                .filter(r -> r.committed() && r.kind() == TxRecord.Kind.AT)
                                .count() + ", TCC "
                        + workload.stream()
                                .filter(r -> r.committed() && r.kind() == TxRecord.Kind.TCC)
                                .count() + ")");
        row(
                b,
                "failed (the application saw an exception)",
                failed + (failed == 0 ? "" : " (" + failuresByClass() + ")"));
        row(
                b,
                "kills (see the run line for which node)",
                String.valueOf(timeline.kills().size()));
        if (!pauses.isEmpty()) {
            List<Long> served = clusterResumesNs().stream().sorted().toList();
            row(
                    b,
                    "cluster resume after a kill (every surviving node completes a begin + commit), p50 / max",
                    ms(percentile(served, 50)) + " / " + ms(served.get(served.size() - 1)));
            List<Long> resumes = resumesNs().stream().sorted().toList();
            row(
                    b,
                    "application resume after a kill (a transaction started after it commits), p50 / max",
                    ms(percentile(resumes, 50)) + " / " + ms(resumes.get(resumes.size() - 1)));
            row(
                    b,
                    "worker stall after a kill (every worker has committed again), p50 / max",
                    ms(percentile(pauses, 50)) + " / " + ms(pauses.get(pauses.size() - 1)));
            List<Long> elections = timeline.kills().stream()
                    .filter(k -> k.electedNs() > 0)
                    .map(k -> k.electedNs() - k.killNs())
                    .sorted()
                    .toList();
            row(
                    b,
                    "new leader seen in /health after kill, p50 / max",
                    ms(percentile(elections, 50)) + " / "
                            + ms(elections.isEmpty() ? 0 : elections.get(elections.size() - 1)));
            List<Long> restarts = timeline.kills().stream()
                    .filter(k -> k.servingNs() > 0)
                    .map(k -> k.servingNs() - k.restartNs())
                    .sorted()
                    .toList();
            row(
                    b,
                    "killed node serving again after restart, p50 / max",
                    ms(percentile(restarts, 50)) + " / "
                            + ms(restarts.isEmpty() ? 0 : restarts.get(restarts.size() - 1)));
        }
        row(
                b,
                "transaction latency p50 / p99 / max (committed)",
                ms(percentile(latencies, 50)) + " / " + ms(percentile(latencies, 99)) + " / "
                        + ms(latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1)));
        b.append("\n## Checks\n\n| check | result |\n|---|---|\n");
        checks.forEach((k, v) -> row(b, k, v));
        if (!timeline.kills().isEmpty()) {
            b.append("\n## Kills\n\n| # | killed | at | new leader | seen after | cluster resume | application resume"
                    + " | worker stall | restarted | serving after | failures in [kill, kill+stall] |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            int i = 0;
            for (Timeline.Kill k : timeline.kills()) {
                long pause = pausesNs.get(i);
                long until = pause == Long.MAX_VALUE ? Long.MAX_VALUE : k.killNs() + pause;
                long failures = workload.stream()
                        .filter(r -> !r.committed() && r.endNs() >= k.killNs() && r.endNs() <= until)
                        .count();
                b.append("| ")
                        .append(++i)
                        .append(" | node-")
                        .append(k.node())
                        .append(" | ")
                        .append(String.format("%.1f s", timeline.seconds(k.killNs())))
                        .append(" | node-")
                        .append(k.newLeader())
                        .append(" | ")
                        .append(k.electedNs() > 0 ? ms(k.electedNs() - k.killNs()) : "-")
                        .append(" | ")
                        .append(k.servedNs() > 0 ? ms(k.servedNs() - k.killNs()) : "never")
                        .append(" | ")
                        .append(k.resumedNs() > 0 ? ms(k.resumedNs() - k.killNs()) : "never")
                        .append(" | ")
                        .append(ms(pause))
                        .append(" | ")
                        .append(k.restartNs() > 0 ? String.format("%.1f s", timeline.seconds(k.restartNs())) : "-")
                        .append(" | ")
                        .append(k.servingNs() > 0 ? ms(k.servingNs() - k.restartNs()) : "-")
                        .append(" | ")
                        .append(failures)
                        .append(" |\n");
            }
        }
        List<TxRecord> failures = failures();
        if (!failures.isEmpty()) {
            b.append("\n## Failed transactions by cause\n\n| count | class | kind | stage | error |\n"
                    + "|---|---|---|---|---|\n");
            Map<String, Long> causes = failures.stream()
                    .collect(Collectors.groupingBy(
                            r -> FailureClass.of(r) + " | " + r.kind() + " | " + r.stage() + " | "
                                    + normalize(r.error()),
                            LinkedHashMap::new,
                            Collectors.counting()));
            causes.forEach(
                    (k, v) -> b.append("| ").append(v).append(" | ").append(k).append(" |\n"));
            b.append("\n## Failed transactions (first 100; all transactions are in the CSV file next to this one)\n\n"
                    + "| at | latency | kind | xid | class | stage | error |\n|---|---|---|---|---|---|---|\n");
            failures.stream()
                    .limit(100)
                    .forEach(r -> b.append(String.format(
                            "| %.3f s | %s | %s | %s | %s | %s | %s |%n",
                            timeline.seconds(r.startNs()),
                            ms(r.latencyNs()),
                            r.kind(),
                            r.xid(),
                            FailureClass.of(r),
                            r.stage(),
                            String.valueOf(r.error()).replace("|", "/"))));
        }
        b.append("\n## Problems\n\n");
        if (problems.isEmpty()) {
            b.append("none\n");
        } else {
            problems.stream()
                    .limit(100)
                    .forEach(p -> b.append("- ").append(p.replace("\n", " ")).append('\n'));
            if (problems.size() > 100) {
                b.append("- ... ").append(problems.size() - 100).append(" more\n");
            }
        }
        b.append("\n## Timeline\n\n");
        timeline.events().forEach(e -> b.append(String.format("- %.3f s %s%n", timeline.seconds(e.atNs()), e.text())));
        return b.toString();
    }

    /** {@code CLASS n, CLASS n} for the workload's failures. */
    public String failuresByClass() {
        Map<FailureClass, Long> byClass = failures().stream()
                .collect(Collectors.groupingBy(
                        FailureClass::of, () -> new java.util.EnumMap<>(FailureClass.class), Collectors.counting()));
        return byClass.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The error without XIDs, ids and numbers that differ between occurrences, for grouping. */
    public static String normalize(String error) {
        if (error == null) {
            return "";
        }
        return error.replaceAll("\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+:\\d+", "XID")
                .replaceAll("(?<![\\d.])\\d{6,}", "N")
                .replace("|", "/");
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ")
                .append(k)
                .append(" | ")
                .append(v.replace("|", "/").replace("\n", " "))
                .append(" |\n");
    }

    /** Writes the report to {@code target/chaos/<file>.md} and prints it; returns the path. */
    public Path write(String file) {
        return ReportFiles.write(file, toMarkdown(), csv(), "ha");
    }

    private String csv() {
        StringBuilder b =
                new StringBuilder("start_s,end_s,latency_ms,kind,worker,xid,outcome,class,stage,status,error\n");
        for (TxRecord r : records) {
            b.append(String.format(
                    "%.3f,%.3f,%.1f,%s,%d,%s,%s,%s,%s,%s,\"%s\"%n",
                    timeline.seconds(r.startNs()),
                    timeline.seconds(r.endNs()),
                    r.latencyNs() / 1e6,
                    r.kind(),
                    r.worker(),
                    r.xid(),
                    r.outcome(),
                    r.committed() ? "" : FailureClass.of(r),
                    r.stage() == null ? "" : r.stage(),
                    r.status() == null ? "" : r.status(),
                    r.error() == null ? "" : r.error().replace("\"", "'")));
        }
        return b.toString();
    }

    /** The XIDs of acknowledged transactions of a kind. */
    public Set<String> committedXids(TxRecord.Kind kind) {
        return records.stream()
                .filter(r -> r.committed() && r.kind() == kind)
                .map(TxRecord::xid)
                .collect(Collectors.toSet());
    }
}
