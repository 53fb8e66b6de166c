package io.arbiter.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a settled placement must satisfy, computed independently of the scheduler's own code: every fragment at its
 * replica target on members that are neither draining nor down, a leader for each, and replicas and leaders per
 * usable node at most t from the mean, with t = max(1, 5 % of the mean).
 */
final class PlacementChecks {
    private PlacementChecks() {}

    static List<String> problems(ClusterState state, PlacementSettings settings, long now) {
        List<String> problems = new ArrayList<>();
        long members = state.nodes().stream().filter(n -> !n.draining()).count();
        int target = (int) Math.max(1, Math.min(settings.replicas(), members));
        Map<String, Integer> replicas = new TreeMap<>();
        Map<String, Integer> leaders = new TreeMap<>();
        List<String> usable = new ArrayList<>();
        for (NodeState n : state.nodes()) {
            if (n.usable(now, settings.stableAfterMs())) {
                usable.add(n.id());
                replicas.put(n.id(), 0);
                leaders.put(n.id(), 0);
            }
        }
        long usableOrUnreachable = state.nodes().stream()
                .filter(n -> !n.draining() && !n.down(now, settings.nodeDownAfterMs()))
                .count();
        for (FragmentState f : state.fragments()) {
            boolean repairable = usableOrUnreachable >= target;
            if (repairable && f.replicas().size() != target) {
                problems.add("fragment " + f.id() + " has " + f.replicas().size() + " replicas, target " + target);
            }
            for (String r : f.replicas()) {
                NodeState n = state.node(r).orElse(null);
                if (repairable && (n == null || n.draining() || n.down(now, settings.nodeDownAfterMs()))) {
                    problems.add("fragment " + f.id() + " keeps a replica on " + r);
                }
                replicas.computeIfPresent(r, (k, v) -> v + 1);
            }
            if (f.leader() == null) {
                problems.add("fragment " + f.id() + " has no leader");
            } else {
                leaders.computeIfPresent(f.leader(), (k, v) -> v + 1);
            }
        }
        within("replicas", replicas, settings, problems);
        within("leaders", leaders, settings, problems);
        return problems;
    }

    private static void within(
            String what, Map<String, Integer> counts, PlacementSettings settings, List<String> problems) {
        if (counts.size() < 2) {
            return;
        }
        double mean =
                counts.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        int t = Math.max(1, (int) Math.floor(mean * 0.05));
        counts.forEach((node, c) -> {
            if (Math.abs(c - mean) > t + 1e-9) {
                problems.add(String.format("%s has %d %s, the mean is %.2f (tolerance %d)", node, c, what, mean, t));
            }
        });
    }
}
