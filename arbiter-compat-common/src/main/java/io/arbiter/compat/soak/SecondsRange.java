package io.arbiter.compat.soak;

import java.time.Duration;
import java.util.Random;

/**
 * A range of durations written {@code MIN-MAX} in seconds ({@code "5-20"}, or one number for a fixed value), from
 * which the soak draws a random length (a gap between two events, how long a node stays down or cut off).
 */
public record SecondsRange(double min, double max) {
    public SecondsRange {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("a range of seconds needs 0 <= min <= max, got " + min + "-" + max);
        }
    }

    /** Parses {@code "MIN-MAX"} or {@code "N"}. */
    public static SecondsRange parse(String text) {
        String t = text.trim();
        int dash = t.indexOf('-', 1);
        try {
            if (dash < 0) {
                double v = Double.parseDouble(t);
                return new SecondsRange(v, v);
            }
            return new SecondsRange(
                    Double.parseDouble(t.substring(0, dash).trim()),
                    Double.parseDouble(t.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected seconds as MIN-MAX (e.g. 5-20), got '" + text + "'", e);
        }
    }

    /** A length drawn uniformly from the range. */
    public Duration pick(Random random) {
        double s = min + (max - min) * random.nextDouble();
        return Duration.ofMillis(Math.round(s * 1000));
    }

    @Override
    public String toString() {
        return (min == max ? fmt(min) : fmt(min) + "-" + fmt(max)) + " s";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
