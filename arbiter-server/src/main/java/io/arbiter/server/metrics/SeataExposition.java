package io.arbiter.server.metrics;

/**
 * Writes Seata's TC series in the Prometheus text format exactly as Seata's Prometheus exporter names them: sample
 * name {@code seata_transaction}, labels {@code applicationId}, {@code group}, {@code meter}, {@code role="tc"},
 * {@code statistic} (summaries and timers only) and {@code status}, each sample with its timestamp in milliseconds.
 * One untyped family, as Seata's.
 *
 * <p>Threading: one instance per scrape.
 */
final class SeataExposition {
    static final String NAME = "seata_transaction";
    private final StringBuilder out;
    private final long nowMillis;

    SeataExposition(StringBuilder out, long nowMillis) {
        this.out = out;
        this.nowMillis = nowMillis;
        out.append("# HELP ").append(NAME).append(" Seata TC transaction meters (Seata's names and labels)\n");
        out.append("# TYPE ").append(NAME).append(" untyped\n");
    }

    void counter(TransactionLabels labels, String status, double value) {
        sample(labels, "counter", null, status, value);
    }

    void summary(TransactionLabels labels, String status, SeataSummary.Reading r) {
        sample(labels, "summary", "count", status, r.count());
        sample(labels, "summary", "total", status, r.total());
        sample(labels, "summary", "tps", status, r.tps());
    }

    void timer(TransactionLabels labels, String status, SeataTimer.Reading r) {
        sample(labels, "timer", "count", status, r.count());
        sample(labels, "timer", "total", status, r.total());
        sample(labels, "timer", "max", status, r.max());
        sample(labels, "timer", "average", status, r.average());
    }

    private void sample(TransactionLabels labels, String meter, String statistic, String status, double value) {
        out.append(NAME).append('{');
        label("applicationId", labels.applicationId()).append(',');
        label("group", labels.group()).append(',');
        label("meter", meter).append(',');
        label("role", "tc").append(',');
        if (statistic != null) {
            label("statistic", statistic).append(',');
        }
        label("status", status).append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value).append(".0");
        } else {
            out.append(value);
        }
        out.append(' ').append(nowMillis).append('\n');
    }

    private StringBuilder label(String name, String value) {
        out.append(name).append("=\"");
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
