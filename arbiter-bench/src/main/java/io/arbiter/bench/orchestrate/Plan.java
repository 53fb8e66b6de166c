package io.arbiter.bench.orchestrate;

import java.util.ArrayList;
import java.util.List;

/** What a comparison measures: coordinator configurations × (workload, threads) points, and the timings. */
record Plan(List<String> configs, List<Point> points, double warmupS, double durationS) {
    static final List<String> ALL_CONFIGS = List.of("seata-file", "seata-raft-3", "arbiter-1", "arbiter-3");
    static final String DEFAULT_POINTS = "empty:16,empty:64,at:16,tcc:16";
    static final String QUICK_POINTS = "empty:16,at:16,tcc:16";

    /** One workload at one thread count. */
    record Point(String workload, int threads) {
        @Override
        public String toString() {
            return workload + ":" + threads;
        }
    }

    /** {@code empty:16,empty:64,at:16} (a bare workload means 16 threads). */
    static List<Point> parsePoints(String text) {
        List<Point> points = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            String workload = colon < 0 ? p : p.substring(0, colon);
            if (!List.of("empty", "rollback", "tcc", "at").contains(workload)) {
                throw new IllegalArgumentException(
                        "unknown workload '" + workload + "' in '" + text + "' (empty, rollback, tcc, at)");
            }
            int threads;
            try {
                threads = colon < 0 ? 16 : Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' is not workload:threads");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1 in '" + p + "'");
            }
            points.add(new Point(workload, threads));
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no points in '" + text + "'");
        }
        return points;
    }

    static List<String> parseConfigs(String text) {
        List<String> configs = new ArrayList<>();
        for (String part : text.split(",")) {
            String c = part.trim();
            if (c.isEmpty()) {
                continue;
            }
            if (!c.matches(
                    "seata-file|seata-raft-[1-9]|(arbiter-[1-9]|arbiter-[2-9]-(grouplist|leader))(-f[0-9]+(-l[0-9]+)?(-r)?)?")) {
                throw new IllegalArgumentException("unknown configuration '" + c + "' (seata-file, seata-raft-N, "
                        + "arbiter-N, arbiter-N-grouplist, arbiter-N-leader, each arbiter one with -fF for F "
                        + "fragments, then -lL for L of them owning the lock slots, then -r for replicated locks)");
            }
            configs.add(c);
        }
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("no configurations in '" + text + "'");
        }
        return configs;
    }

    /**
     * The plan from the command line: {@code quick} shortens the timings (3 s + 10 s) and drops the 64-thread
     * point unless points, warm-up or duration are given explicitly; {@code repeat} runs the whole configuration
     * list that many times in turn (c1, c2, c1, c2, ...), so that a drift of the machine's speed falls on every
     * configuration alike and the report can take each one's median.
     */
    static Plan of(boolean quick, String configs, String points, Double warmup, Double duration, int repeat) {
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, not " + repeat);
        }
        String p = points != null ? points : quick ? QUICK_POINTS : DEFAULT_POINTS;
        double w = warmup != null ? warmup : quick ? 3 : 10;
        double d = duration != null ? duration : quick ? 10 : 30;
        List<String> once = parseConfigs(configs == null ? String.join(",", ALL_CONFIGS) : configs);
        List<String> inTurn = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            inTurn.addAll(once);
        }
        return new Plan(List.copyOf(inTurn), parsePoints(p), w, d);
    }

    int runs() {
        return configs.size() * points.size();
    }
}
