package io.arbiter.bench.report;

import io.arbiter.bench.load.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A self-contained HTML page: inline SVG charts, the result and ratio tables, the raw JSON lines. */
final class HtmlReport {
    private HtmlReport() {}

    static String render(List<RunResult> results, List<Chart> charts, String stamp) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Arbiter vs Seata 2.0.0 — ")
                .append(Html.esc(stamp))
                .append("</title>")
                .append("<style>body{font-family:sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse;margin:12px 0;font-size:13px}")
                .append("th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th:first-child,td:first-child,td.l{text-align:left}.bad{color:#b00}")
                .append(".charts{display:flex;flex-wrap:wrap;gap:12px}pre{font-size:11px;white-space:pre-wrap}")
                .append("</style></head><body>\n");
        h.append("<h1>Arbiter vs Seata 2.0.0</h1>\n<p>Run ")
                .append(Html.esc(stamp))
                .append(". Same load ")
                .append("generator and client (io.seata:seata-all 2.0.0) against every configuration; closed loop, ")
                .append("each thread one transaction at a time; the coordinator restarted fresh for every point. ")
                .append("CPU is utime+stime of all coordinator processes over the measured window.</p>\n");
        if (!results.isEmpty()) {
            RunResult first = results.get(0);
            h.append(String.format(
                    Locale.ROOT,
                    "<p>Warm-up %.0f s, measured %.0f s per point. Machine: %d CPUs, " + "Java %s.</p>%n",
                    first.warmupS(),
                    first.durationS(),
                    Runtime.getRuntime().availableProcessors(),
                    Html.esc(System.getProperty("java.version"))));
        }
        h.append("<div class=\"charts\">\n");
        for (Chart c : charts) {
            h.append(ChartRenderer.svg(c)).append('\n');
        }
        h.append("</div>\n");

        List<String[]> ratios = Reports.ratioRows(results);
        if (!ratios.isEmpty()) {
            h.append("<h2>Arbiter / Seata, and fragments / one fragment</h2>\n<p>tx/s above 1 and latency or CPU ")
                    .append("below 1 favour the first of the pair. Where a configuration ran more than once, its ")
                    .append("medians.</p>")
                    .append("<table><tr><th>point</th><th>pair</th><th>tx/s</th><th>p50</th><th>p99</th>")
                    .append("<th>CPU per 1k tx</th><th>without the JIT</th></tr>\n");
            rows(h, ratios, "<td>");
        }

        h.append("<h2>Runs</h2>\n<table><tr><th>point</th><th>config</th><th>tx/s</th><th>p50 ms</th>")
                .append("<th>p95 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>errors</th>")
                .append("<th>coord. CPU s</th><th>CPU s / 1k tx</th><th>without the JIT</th><th>check</th></tr>\n");
        Map<String, RunResult> last = Reports.summaries(results);
        Map<String, List<RunResult>> runs = Reports.runs(results);
        for (String cat : Reports.categories(results)) {
            for (String cfg : Reports.configs(results)) {
                RunResult r = last.get(cfg + "|" + cat);
                if (r == null) {
                    continue;
                }
                h.append(String.format(
                        Locale.ROOT,
                        "<tr><td>%s</td><td class=\"l\">%s</td><td>%.1f</td>"
                                + "<td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%d</td>"
                                + "<td>%s</td><td>%s</td><td>%s</td><td class=\"l%s\">%s</td></tr>%n",
                        Html.esc(cat),
                        Html.esc(cfg) + medianOf(runs.get(cfg + "|" + cat).size()),
                        r.tps(),
                        r.p50Ms(),
                        r.p95Ms(),
                        r.p99Ms(),
                        r.p999Ms(),
                        r.maxMs(),
                        r.errors(),
                        r.coordinatorCpuS() == null ? "n/a" : Chart.format(r.coordinatorCpuS()),
                        r.cpuSPer1000Tx() == null ? "n/a" : Chart.format(r.cpuSPer1000Tx()),
                        r.cpuSPer1000TxWithoutJit() == null ? "n/a" : Chart.format(r.cpuSPer1000TxWithoutJit()),
                        r.ok() ? "" : " bad",
                        Html.esc(
                                r.ok()
                                        ? (r.check() == null ? "ok" : "ok " + r.check())
                                        : "FAILED: " + r.failure() + (r.check() == null ? "" : " " + r.check()))));
            }
        }
        h.append("</table>\n");
        List<String[]> spread = Reports.spreadRows(results);
        if (!spread.isEmpty()) {
            h.append("<h2>Every run of a repeated configuration</h2>\n<table><tr><th>point</th><th>config</th>")
                    .append("<th>tx/s, in run order</th><th>CPU s / 1k tx, in run order</th>")
                    .append("<th>without the JIT</th></tr>\n");
            rows(h, spread, "<td class=\"l\">");
        }
        h.append("<details><summary>JSON lines</summary><pre>");
        for (RunResult r : results) {
            h.append(Html.esc(r.toJsonLine())).append('\n');
        }
        h.append("</pre></details>\n</body></html>\n");
        return h.toString();
    }

    /** The rows of a table, every cell opened with {@code cellOpen}, then the table's end. */
    private static void rows(StringBuilder h, List<String[]> rows, String cellOpen) {
        for (String[] r : rows) {
            h.append("<tr>");
            for (String cell : r) {
                h.append(cellOpen).append(Html.esc(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String medianOf(int runs) {
        return runs > 1 ? " (median of " + runs + ")" : "";
    }
}
