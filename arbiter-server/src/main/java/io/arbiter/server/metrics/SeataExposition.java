package io.arbiter.server.metrics;

/**
 * Writes Seata's TC series in the Prometheus text format exactly as Seata's Prometheus exporter names them, each
 * sample with its timestamp in milliseconds, one untyped family per name:
 * <ul>
 *   <li>{@code seata_transaction}: labels {@code applicationId}, {@code group}, {@code meter}, {@code role="tc"},
 *       {@code statistic} (summaries and timers only) and {@code status};</li>
 *   <li>{@code seata_exception}: a summary per exception class, which Seata puts in the {@code applicationId}
 *       label; labels {@code applicationId}, {@code meter="summary"}, {@code role="tc"}, {@code statistic}.</li>
 * </ul>
 *
 * <p>Threading: one instance per scrape.
 */
final class SeataExposition {
    static final String TRANSACTION = "seata_transaction";
    static final String EXCEPTION = "seata_exception";
    private final StringBuilder out;
    private final long nowMillis;
    private final String name;

    private SeataExposition(StringBuilder out, long nowMillis, String name, String help) {
        this.out = out;
        this.nowMillis = nowMillis;
        this.name = name;
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" untyped\n");
    }

    static SeataExposition transactions(StringBuilder out, long nowMillis) {
        return new SeataExposition(
                out, nowMillis, TRANSACTION, "Seata TC transaction meters (Seata's names and labels)");
    }

    static SeataExposition exceptions(StringBuilder out, long nowMillis) {
        return new SeataExposition(
                out,
                nowMillis,
                EXCEPTION,
                "Errors logged with an exception, per exception class in applicationId (Seata's names and labels)");
    }

    void counter(TransactionLabels labels, String status, double value) {
        transaction(labels, "counter", null, status, value);
    }

    void summary(TransactionLabels labels, String status, SeataSummary.Reading r) {
        transaction(labels, "summary", "count", status, r.count());
        transaction(labels, "summary", "total", status, r.total());
        transaction(labels, "summary", "tps", status, r.tps());
    }

    void timer(TransactionLabels labels, String status, SeataTimer.Reading r) {
        transaction(labels, "timer", "count", status, r.count());
        transaction(labels, "timer", "total", status, r.total());
        transaction(labels, "timer", "max", status, r.max());
        transaction(labels, "timer", "average", status, r.average());
    }

    /** A {@code seata_exception} summary: {@code exceptionClass} goes in {@code applicationId}, as in Seata. */
    void exception(String exceptionClass, SeataSummary.Reading r) {
        exceptionSample(exceptionClass, "count", r.count());
        exceptionSample(exceptionClass, "total", r.total());
        exceptionSample(exceptionClass, "tps", r.tps());
    }

    private void exceptionSample(String exceptionClass, String statistic, double value) {
        out.append(name).append('{');
        label("applicationId", exceptionClass).append(',');
        label("meter", "summary").append(',');
        label("role", "tc").append(',');
        label("statistic", statistic).append("} ");
        value(value);
    }

    private void transaction(TransactionLabels labels, String meter, String statistic, String status, double value) {
        out.append(name).append('{');
        label("applicationId", labels.applicationId()).append(',');
        label("group", labels.group()).append(',');
        label("meter", meter).append(',');
        label("role", "tc").append(',');
        if (statistic != null) {
            label("statistic", statistic).append(',');
        }
        label("status", status).append("} ");
        value(value);
    }

    private void value(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value).append(".0");
        } else {
            out.append(value);
        }
        out.append(' ').append(nowMillis).append('\n');
    }

    private StringBuilder label(String label, String value) {
        out.append(label).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"');
    }
}
