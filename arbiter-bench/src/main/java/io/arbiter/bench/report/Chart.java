package io.arbiter.bench.report;

import java.util.List;

/**
 * A grouped bar chart: one group per category (workload:threads), one bar per series (configuration) in each;
 * a null value is a missing bar.
 */
public record Chart(String title, String unit, List<String> categories, List<String> series, Double[][] values) {

    static String format(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(java.util.Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(java.util.Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(java.util.Locale.ROOT, "%.2f", v);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    /** A fixed colour per known configuration (Seata warm, Arbiter cool), else from a palette. */
    static String color(String series, int index) {
        return switch (series) {
            case "seata-file" -> "#d62728";
            case "seata-raft-3" -> "#ff7f0e";
            case "arbiter-1" -> "#1f77b4";
            case "arbiter-3" -> "#2ca02c";
            default ->
                List.of("#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
                        .get(index % 6);
        };
    }
}
