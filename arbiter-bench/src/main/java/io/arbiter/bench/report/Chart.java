package io.arbiter.bench.report;

import java.util.List;

/**
 * A grouped bar chart: one group per category (workload:threads), one bar per series (configuration) in each;
 * a null value is a missing bar.
 */
public record Chart(String title, String unit, List<String> categories, List<String> series, Double[][] values) {

    /** The largest value, at least a tiny positive number so that the axis has a scale. */
    double max() {
        double m = 0;
        for (Double[] row : values) {
            for (Double v : row) {
                if (v != null && v > m) {
                    m = v;
                }
            }
        }
        return m <= 0 ? 1 : m;
    }

    /** A "nice" axis top above {@link #max} (1, 2, 2.5 or 5 times a power of ten) and its tick step. */
    double[] axis() {
        double max = max();
        double exp = Math.pow(10, Math.floor(Math.log10(max)));
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * exp >= max) {
                double top = f * exp;
                return new double[] {top, top / 5};
            }
        }
        return new double[] {10 * exp, 2 * exp};
    }

    /** An axis label: as many decimals as the tick step needs, the same for every tick. */
    static String axisLabel(double v, double step) {
        // steps are one significant digit (top / 5 with top 1, 2, 2.5, 5 times a power of ten)
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Bar width and the left offset of the first bar inside a group of width {@code groupW}. */
    double[] bars(double groupW) {
        double barW = Math.min(56, groupW * 0.8 / Math.max(1, series.size()));
        return new double[] {barW, (groupW - barW * series.size()) / 2};
    }

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
            default -> List.of("#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
                    .get(index % 6);
        };
    }
}
