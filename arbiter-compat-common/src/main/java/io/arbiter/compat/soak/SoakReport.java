package io.arbiter.compat.soak;

import io.arbiter.compat.ha.FailureClass;
import io.arbiter.compat.ha.HaReport;
import io.arbiter.compat.ha.Timeline;
import io.arbiter.compat.ha.TxRecord;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The soak's report, Markdown in {@code target/chaos/<name>.md} (and every transaction in
 * {@code <name>-transactions.csv}): setup, figures (duration, seed, events of each kind, transactions committed,
 * rolled back and failed per mode, failures by class, the longest application pause, latencies), the checks and
 * problems collected in an {@link HaReport}, the events, the failures by cause and the timeline.
 */
public final class SoakReport {
    private final String name;
    private final Timeline timeline;
    private final List<SoakTx> records;
    private final List<ChaosEvent> events;
    private final HaReport checks;
    private final Map<String, String> setup = new LinkedHashMap<>();
    private final long loadStartNs;
    private final long loadEndNs;
    private final int workers;

    /** @param checks the report the checks were written into (its setup, figures and kills are not used) */
    public SoakReport(
            String name,
            Timeline timeline,
            List<SoakTx> records,
            List<ChaosEvent> events,
            HaReport checks,
            long loadStartNs,
            long loadEndNs,
            int workers) {
        this.name = name;
        this.timeline = timeline;
        this.records = records;
        this.events = events;
        this.checks = checks;
        this.loadStartNs = loadStartNs;
        this.loadEndNs = loadEndNs;
        this.workers = workers;
    }

    public SoakReport setup(String key, String value) {
        setup.put(key, value);
        return this;
    }

    public String toMarkdown(SoakSettings settings) {
        StringBuilder b = new StringBuilder("# ").append(name).append("\n\n");
        setup.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n## Figures\n\n| figure | value |\n|---|---|\n");
        row(
                b,
                "duration",
                String.format(
                        "%.1f min of load (asked: %s min); %.1f min in all, setup and checks included",
                        (loadEndNs - loadStartNs) / 60e9,
                        settings.minutes(),
                        (System.nanoTime() - timeline.originNs()) / 60e9));
        row(b, "seed (repeat with -Dchaos.soak.seed=...)", String.valueOf(settings.seed()));
        row(b, "events", eventCounts());
        List<TxRecord.Kind> modes = modes();
        for (TxRecord.Kind kind : modes) {
            row(b, kind + " transactions: committed / rolled back on purpose / failed", perMode(kind));
        }
        row(b, "failed, by class", failuresByClass());
        Pause app = Pause.longest(records, r -> true, loadStartNs, loadEndNs);
        row(b, "longest application pause (no transaction of any mode committed)", describe(app));
        for (TxRecord.Kind kind : modes) {
            row(
                    b,
                    "longest pause of " + kind + " (no " + kind + " transaction committed)",
                    describe(Pause.longest(records, r -> r.kind() == kind, loadStartNs, loadEndNs)));
        }
        row(
                b,
                "longest worker stall (one worker between two commits)",
                describe(Pause.longestOfAnyWorker(records, workers, loadStartNs, loadEndNs)));
        for (TxRecord.Kind kind : modes) {
            row(b, kind + " latency p50 / p99 / max (committed)", latencies(kind));
        }
        List<Long> settle = events.stream()
                .filter(e -> e.settledNs() > 0)
                .map(e -> e.settledNs() - e.endNs())
                .sorted()
                .toList();
        row(
                b,
                "cluster settled again after an event, p50 / max",
                settle.isEmpty()
                        ? "-"
                        : HaReport.ms(percentile(settle, 50)) + " / " + HaReport.ms(settle.get(settle.size() - 1)));
        b.append("\n## Checks\n\n| check | result |\n|---|---|\n");
        checks.checks().forEach((k, v) -> row(b, k, v));
        events(b);
        failures(b);
        b.append("\n## Problems\n\n");
        if (checks.problems().isEmpty()) {
            b.append("none\n");
        }
        checks.problems().stream()
                .limit(100)
                .forEach(p -> b.append("- ").append(p.replace('\n', ' ')).append('\n'));
        b.append("\n## Timeline\n\n");
        timeline.events().forEach(e -> b.append(String.format("- %.3f s %s%n", timeline.seconds(e.atNs()), e.text())));
        return b.toString();
    }

    /** The modes the load ran (a mode without workers has no rows). */
    private List<TxRecord.Kind> modes() {
        return java.util.Arrays.stream(TxRecord.Kind.values())
                .filter(k -> records.stream().anyMatch(r -> r.kind() == k))
                .toList();
    }

    private String eventCounts() {
        if (events.isEmpty()) {
            return "none";
        }
        Map<EventKind, Long> byKind = events.stream()
                .collect(Collectors.groupingBy(
                        ChaosEvent::kind, () -> new EnumMap<>(EventKind.class), Collectors.counting()));
        return events.size() + ": "
                + byKind.entrySet().stream()
                        .map(e -> e.getKey().word() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
    }

    private String perMode(TxRecord.Kind kind) {
        List<SoakTx> mine = records.stream().filter(r -> r.kind() == kind).toList();
        return count(mine, SoakTx.Ending.COMMITTED) + " / " + count(mine, SoakTx.Ending.ROLLED_BACK) + " / "
                + count(mine, SoakTx.Ending.FAILED) + " (of " + mine.size() + ")";
    }

    private static long count(List<SoakTx> list, SoakTx.Ending ending) {
        return list.stream().filter(r -> r.ending() == ending).count();
    }

    private List<SoakTx> failed() {
        return records.stream().filter(r -> r.ending() == SoakTx.Ending.FAILED).toList();
    }

    public String failuresByClass() {
        Map<FailureClass, Long> byClass = failed().stream()
                .collect(Collectors.groupingBy(
                        r -> FailureClass.of(r.toTxRecord()),
                        () -> new EnumMap<>(FailureClass.class),
                        Collectors.counting()));
        return byClass.isEmpty()
                ? "none"
                : byClass.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
    }

    private String describe(Pause p) {
        String during = events.stream()
                .filter(e ->
                        e.startNs() <= p.endNs() && (e.settledNs() == 0 ? loadEndNs : e.settledNs()) >= p.startNs())
                .map(e -> "#" + e.number() + " " + e.kind().word())
                .collect(Collectors.joining(", "));
        return HaReport.ms(p.lengthNs())
                + String.format(" from %.1f s", timeline.seconds(p.startNs()))
                + (during.isEmpty() ? " (no event then)" : " (during event " + during + ")");
    }

    private String latencies(TxRecord.Kind kind) {
        List<Long> l = records.stream()
                .filter(r -> r.kind() == kind && r.ending() == SoakTx.Ending.COMMITTED)
                .map(SoakTx::latencyNs)
                .sorted()
                .toList();
        return l.isEmpty()
                ? "-"
                : HaReport.ms(percentile(l, 50)) + " / " + HaReport.ms(percentile(l, 99)) + " / "
                        + HaReport.ms(l.get(l.size() - 1));
    }

    private void events(StringBuilder b) {
        if (events.isEmpty()) {
            return;
        }
        b.append("\n## Events\n\n| # | at | kind | what | outcome | settled after | first commit after its start"
                + " | failed in [start, settled] |\n|---|---|---|---|---|---|---|---|\n");
        for (ChaosEvent e : events) {
            long until = e.settledNs() == 0 ? loadEndNs : e.settledNs();
            long firstCommit = records.stream()
                    .filter(r -> r.ending() == SoakTx.Ending.COMMITTED && r.startNs() >= e.startNs())
                    .mapToLong(SoakTx::endNs)
                    .min()
                    .orElse(0);
            long failed = failed().stream()
                    .filter(r -> r.endNs() >= e.startNs() && r.endNs() <= until)
                    .count();
            b.append(String.format(
                    "| %d | %.1f s | %s | %s | %s | %s | %s | %d |%n",
                    e.number(),
                    timeline.seconds(e.startNs()),
                    e.kind().word(),
                    e.what(),
                    e.outcome().replace("|", "/").replace('\n', ' '),
                    e.settledNs() == 0 ? "never" : HaReport.ms(e.settledNs() - e.endNs()),
                    firstCommit == 0 ? "never" : HaReport.ms(firstCommit - e.startNs()),
                    failed));
        }
    }

    private void failures(StringBuilder b) {
        List<SoakTx> failed = failed();
        if (failed.isEmpty()) {
            return;
        }
        b.append(
                "\n## Failed transactions by cause\n\n| count | class | kind | stage | error |\n|---|---|---|---|---|\n");
        failed.stream()
                .collect(Collectors.groupingBy(
                        r -> FailureClass.of(r.toTxRecord()) + " | " + r.kind() + " | " + r.stage() + " | "
                                + HaReport.normalize(r.error()),
                        LinkedHashMap::new,
                        Collectors.counting()))
                .entrySet()
                .stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(40)
                .forEach(e -> b.append("| ")
                        .append(e.getValue())
                        .append(" | ")
                        .append(e.getKey().replace('\n', ' '))
                        .append(" |\n"));
    }

    static long percentile(List<Long> sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ")
                .append(k)
                .append(" | ")
                .append(v.replace("|", "/").replace('\n', ' '))
                .append(" |\n");
    }

    /** Writes the report and the transactions' CSV to {@code target/chaos/}, prints it; returns its path. */
    public Path write(SoakSettings settings) {
        return io.arbiter.compat.ha.ReportFiles.write(name, toMarkdown(settings), csv(), "soak");
    }

    private String csv() {
        StringBuilder b =
                new StringBuilder("start_s,end_s,latency_ms,kind,worker,xid,tag,ending,class,stage,status,error\n");
        for (SoakTx r : records) {
            b.append(String.format(
                    "%.3f,%.3f,%.1f,%s,%d,%s,%s,%s,%s,%s,%s,\"%s\"%n",
                    timeline.seconds(r.startNs()),
                    timeline.seconds(r.endNs()),
                    r.latencyNs() / 1e6,
                    r.kind(),
                    r.worker(),
                    r.xid(),
                    r.tag(),
                    r.ending(),
                    r.ending() == SoakTx.Ending.FAILED ? FailureClass.of(r.toTxRecord()) : "",
                    r.stage() == null ? "" : r.stage(),
                    r.status() == null ? "" : r.status(),
                    r.error() == null ? "" : r.error().replace("\"", "'")));
        }
        return b.toString();
    }
}
