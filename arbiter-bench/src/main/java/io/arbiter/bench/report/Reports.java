package io.arbiter.bench.report;

import io.arbiter.bench.load.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The comparison's outputs from its results: console lines, the ratio table, the HTML (and PNG) report. */
public final class Reports {
    private Reports() {}

    /** Where {@link #write} put the report. */
    public record Written(Path html, Path png, String pngProblem) {}

    /** One progress line per run. */
    public static String oneLine(RunResult r) {
        if (r.failure() != null && r.transactions() == 0) {
            return "FAILED: " + r.failure();
        }
        return String.format(
                Locale.ROOT,
                "%.1f tx/s, p50 %.2f ms, p99 %.2f ms, %d errors, cpu %s s/1k tx%s%s%s",
                r.tps(),
                r.p50Ms(),
                r.p99Ms(),
                r.errors(),
                r.cpuSPer1000Tx() == null ? "n/a" : Chart.format(r.cpuSPer1000Tx()),
                r.cpuSPer1000TxWithoutJit() == null
                        ? ""
                        : " (" + Chart.format(r.cpuSPer1000TxWithoutJit()) + " without the JIT)",
                r.busiestCpuShare() == null
                                || r.coordinatorPids() == null
                                || r.coordinatorPids().size() < 2
                        ? ""
                        : String.format(Locale.ROOT, " (busiest process %.0f%%)", 100 * r.busiestCpuShare()),
                r.ok() ? "" : " — FAILED: " + r.failure());
    }

    /** The points in first-seen order ("workload:threads"). */
    static List<String> categories(List<RunResult> results) {
        Set<String> c = new LinkedHashSet<>();
        results.forEach(r -> c.add(key(r)));
        return new ArrayList<>(c);
    }

    /** The configurations, each Seata one followed by its Arbiter counterpart(s), then any others. */
    static List<String> configs(List<RunResult> results) {
        Set<String> c = new LinkedHashSet<>();
        results.forEach(r -> c.add(r.config()));
        List<String> sorted = new ArrayList<>(c);
        sorted.sort(java.util.Comparator.comparingInt(Reports::rank).thenComparing(s -> s));
        return sorted;
    }

    private static int rank(String config) {
        if (config.equals("seata-file")) {
            return 0;
        }
        if (config.equals("arbiter-1")) {
            return 1;
        }
        if (config.matches("seata-raft-[1-9]")) {
            return 10 * (config.charAt(config.length() - 1) - '0');
        }
        if (config.matches("arbiter-[2-9](-.*)?")) {
            return 10 * (config.charAt("arbiter-".length()) - '0') + 1;
        }
        return 1000;
    }

    static String key(RunResult r) {
        return r.workload() + ":" + r.threads();
    }

    /** Every run per (config, point), in run order. */
    static Map<String, List<RunResult>> runs(List<RunResult> results) {
        Map<String, List<RunResult>> m = new LinkedHashMap<>();
        results.forEach(r -> m.computeIfAbsent(r.config() + "|" + key(r), k -> new ArrayList<>())
                .add(r));
        return m;
    }

    /** One result per (config, point): the run, or the medians of its runs when it ran more than once. */
    static Map<String, RunResult> summaries(List<RunResult> results) {
        Map<String, RunResult> m = new LinkedHashMap<>();
        runs(results).forEach((k, rs) -> m.put(k, Medians.of(rs)));
        return m;
    }

    /** The Seata configuration an Arbiter configuration is compared with (null: none). */
    static String counterpart(String config) {
        if (config.equals("arbiter-1")) {
            return "seata-file";
        }
        if (config.matches("arbiter-[2-9](-grouplist|-leader)?(-f[0-9]+.*)?")) {
            return "seata-raft-" + config.charAt("arbiter-".length());
        }
        return null;
    }

    /** The same Arbiter configuration with one fragment, for one with fragments (null: none, or it is that). */
    static String oneFragment(String config) {
        int f = config.indexOf("-f");
        return config.startsWith("arbiter-") && f > 0 ? config.substring(0, f) : null;
    }

    /** A ratio arbiter/seata, or null when either side is missing or zero. */
    static Double ratio(Double arbiter, Double seata) {
        if (arbiter == null || seata == null || seata == 0 || arbiter == 0) {
            return null;
        }
        return arbiter / seata;
    }

    static Chart chart(List<RunResult> results, String title, String unit, Function<RunResult, Double> metric) {
        List<String> cats = categories(results);
        List<String> cfgs = configs(results);
        Map<String, RunResult> last = summaries(results);
        Double[][] values = new Double[cats.size()][cfgs.size()];
        for (int g = 0; g < cats.size(); g++) {
            for (int k = 0; k < cfgs.size(); k++) {
                RunResult r = last.get(cfgs.get(k) + "|" + cats.get(g));
                values[g][k] = r == null || r.transactions() == 0 ? null : metric.apply(r);
            }
        }
        return new Chart(title, unit, cats, cfgs, values);
    }

    static List<Chart> charts(List<RunResult> results) {
        return List.of(
                chart(results, "Throughput", "transactions/s", RunResult::tps),
                chart(results, "Latency p50", "ms", RunResult::p50Ms),
                chart(results, "Latency p99", "ms", RunResult::p99Ms),
                chart(results, "Coordinator CPU", "CPU-s per 1,000 tx", RunResult::cpuSPer1000Tx));
    }

    /** The per-run table and the Arbiter/Seata ratio table, as plain text. */
    public static String table(List<RunResult> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%-14s %-20s %10s %9s %9s %9s %9s %9s %7s %10s %10s %s%n",
                "point",
                "config",
                "tx/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "p99.9 ms",
                "max ms",
                "errors",
                "cpu s/1k",
                "w/o JIT",
                "ok"));
        Map<String, RunResult> summaries = summaries(results);
        Map<String, List<RunResult>> runs = runs(results);
        for (String cat : categories(results)) {
            for (String cfg : configs(results)) {
                RunResult r = summaries.get(cfg + "|" + cat);
                if (r == null) {
                    continue;
                }
                int n = runs.get(cfg + "|" + cat).size();
                b.append(String.format(
                        Locale.ROOT,
                        "%-14s %-20s %10.1f %9.2f %9.2f %9.2f %9.2f %9.2f %7d %10s %10s %s%n",
                        cat,
                        cfg,
                        r.tps(),
                        r.p50Ms(),
                        r.p95Ms(),
                        r.p99Ms(),
                        r.p999Ms(),
                        r.maxMs(),
                        r.errors(),
                        r.cpuSPer1000Tx() == null ? "n/a" : Chart.format(r.cpuSPer1000Tx()),
                        r.cpuSPer1000TxWithoutJit() == null ? "n/a" : Chart.format(r.cpuSPer1000TxWithoutJit()),
                        (r.ok() ? "yes" : "NO: " + r.failure()) + (n > 1 ? " (median of " + n + " runs)" : "")));
            }
        }
        section(
                b,
                "Every run of a repeated configuration, in run order",
                "%-14s %-20s %s | %s | %s%n",
                new String[] {"point", "config", "tx/s", "cpu s/1k tx", "without the JIT"},
                spreadRows(results));
        section(
                b,
                "Arbiter / Seata, and fragments / one fragment (medians where repeated; tx/s: higher is better for the "
                        + "first; latency and CPU: lower is better)",
                "%-14s %-36s %8s %8s %8s %10s %10s%n",
                new String[] {"point", "pair", "tx/s", "p50", "p99", "cpu/1k tx", "w/o JIT"},
                ratioRows(results));
        return b.toString();
    }

    /** A titled table of {@code rows} after a blank line, or nothing when there are none. */
    private static void section(StringBuilder b, String title, String format, String[] header, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        b.append(System.lineSeparator()).append(title).append(System.lineSeparator());
        b.append(String.format(Locale.ROOT, format, (Object[]) header));
        for (String[] row : rows) {
            b.append(String.format(Locale.ROOT, format, (Object[]) row));
        }
    }

    /**
     * point, pair, tx/s ratio, p50 ratio, p99 ratio, cpu ratio (formatted, "n/a" where missing): every Arbiter
     * configuration against its Seata counterpart, then every one with fragments against the same with one.
     */
    static List<String[]> ratioRows(List<RunResult> results) {
        Map<String, RunResult> last = summaries(results);
        List<String[]> rows = new ArrayList<>();
        for (String cat : categories(results)) {
            for (String cfg : configs(results)) {
                addRatio(rows, last, cat, cfg, counterpart(cfg));
            }
            for (String cfg : configs(results)) {
                addRatio(rows, last, cat, cfg, oneFragment(cfg));
            }
        }
        return rows;
    }

    private static void addRatio(
            List<String[]> rows, Map<String, RunResult> last, String cat, String cfg, String other) {
        RunResult a = last.get(cfg + "|" + cat);
        RunResult s = other == null ? null : last.get(other + "|" + cat);
        if (a == null || s == null) {
            return;
        }
        boolean both = a.transactions() > 0 && s.transactions() > 0;
        rows.add(new String[] {
            cat,
            cfg + " / " + other,
            fmt(both ? ratio(a.tps(), s.tps()) : null),
            fmt(both ? ratio(a.p50Ms(), s.p50Ms()) : null),
            fmt(both ? ratio(a.p99Ms(), s.p99Ms()) : null),
            fmt(both ? ratio(a.cpuSPer1000Tx(), s.cpuSPer1000Tx()) : null),
            fmt(both ? ratio(a.cpuSPer1000TxWithoutJit(), s.cpuSPer1000TxWithoutJit()) : null)
        });
    }

    /**
     * point, config, every run's tx/s, every run's CPU per 1k tx (and without the JIT): for the configurations that
     * ran more than once.
     */
    static List<String[]> spreadRows(List<RunResult> results) {
        Map<String, List<RunResult>> runs = runs(results);
        List<String[]> rows = new ArrayList<>();
        for (String cat : categories(results)) {
            for (String cfg : configs(results)) {
                List<RunResult> rs = runs.get(cfg + "|" + cat);
                if (rs == null || rs.size() < 2) {
                    continue;
                }
                rows.add(new String[] {
                    cat,
                    cfg,
                    Medians.each(rs, RunResult::tps, "%.1f"),
                    Medians.each(rs, RunResult::cpuSPer1000Tx, "%.3f"),
                    Medians.each(rs, RunResult::cpuSPer1000TxWithoutJit, "%.3f")
                });
            }
        }
        return rows;
    }

    private static String fmt(Double ratio) {
        return ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** Writes report-STAMP.html (and report-STAMP.png when Java2D can render it) into {@code dir}. */
    public static Written write(List<RunResult> results, Path dir, String stamp) throws IOException {
        Files.createDirectories(dir);
        Path html = dir.resolve("report-" + stamp + ".html");
        Files.writeString(html, HtmlReport.render(results, charts(results), stamp), StandardCharsets.UTF_8);
        Path png = dir.resolve("report-" + stamp + ".png");
        try {
            ChartRenderer.png(charts(results), "Arbiter vs Seata 2.0.0 — " + stamp, png);
            return new Written(html, png, null);
        } catch (Throwable t) {
            // no font support in this JDK, or similar: the HTML report stands alone
            Files.deleteIfExists(png);
            return new Written(html, null, t.toString());
        }
    }
}
