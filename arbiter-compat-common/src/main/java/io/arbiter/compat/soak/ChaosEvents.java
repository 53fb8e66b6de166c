package io.arbiter.compat.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.HaReport;
import io.arbiter.compat.ha.Timeline;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Injects the soak's faults, one at a time, at random intervals: after a random gap of load, a random kind of
 * {@link EventKind} with random targets, then a wait until the cluster has settled again, so that faults never
 * pile up into a loss of quorum (one node out of three at a time). Every choice comes from one generator seeded
 * with the run's seed, so the same seed gives the same sequence of events and targets (their timing follows the
 * machine). An event whose cluster does not settle within {@link #SETTLE_LIMIT} is a problem, and no further event
 * is injected.
 *
 * <p>Threading: driven by the test thread.
 */
public final class ChaosEvents {
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(120);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);
    private static final Duration TRANSFER_LIMIT = Duration.ofSeconds(30);

    private final ArbiterCluster cluster;
    private final ClusterOps ops;
    private final SoakSettings settings;
    private final Timeline timeline;
    private final Random random;
    private final List<EventKind> kinds;
    private final List<ChaosEvent> events = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** @param partitions whether the cluster's network can cut a node off (else no partition is injected) */
    public ChaosEvents(
            ArbiterCluster cluster, ClusterOps ops, SoakSettings settings, Timeline timeline, boolean partitions) {
        this.cluster = cluster;
        this.ops = ops;
        this.settings = settings;
        this.timeline = timeline;
        this.random = new Random(settings.seed());
        this.kinds = settings.events().stream()
                .filter(k -> partitions || k != EventKind.PARTITION)
                .sorted()
                .toList();
    }

    public List<ChaosEvent> events() {
        return List.copyOf(events);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Injects events until the next one would start at or after {@code endNs} (or the cluster stops settling). */
    public void runUntil(long endNs) throws InterruptedException {
        while (!kinds.isEmpty()) {
            Duration gap = settings.gap().pick(random);
            if (System.nanoTime() + gap.toNanos() >= endNs) {
                return;
            }
            Thread.sleep(gap.toMillis());
            EventKind kind = kinds.get(random.nextInt(kinds.size()));
            ChaosEvent e = inject(events.size() + 1, kind);
            events.add(e);
            if (e.settledNs() == 0) {
                problems.add("event " + e.number() + " (" + e.what() + "): the cluster did not settle within "
                        + SETTLE_LIMIT.toSeconds() + " s; " + e.outcome() + "; no further event injected");
                return;
            }
        }
    }

    /**
     * Waits until the cluster is settled ({@link PlacementView#unsettled} and every node serving); returns when,
     * or 0 with the last reason in the timeline if not within {@link #SETTLE_LIMIT}.
     */
    public long awaitSettled(String after) throws InterruptedException {
        long start = System.nanoTime();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        String last = "";
        while (System.nanoTime() - start < SETTLE_LIMIT.toNanos()) {
            last = unsettled();
            if (last == null) {
                long now = System.nanoTime();
                timeline.event("settled " + HaReport.ms(now - start) + " after " + after
                        + (seen.isEmpty() ? "" : "; waited for: " + String.join(" / then: ", seen)));
                return now;
            }
            if (seen.size() < 6) {
                seen.add(last);
            }
            Thread.sleep(500);
        }
        timeline.event("NOT settled " + SETTLE_LIMIT.toSeconds() + " s after " + after + ": " + last + "; seen before: "
                + String.join(" / then: ", seen));
        return 0;
    }

    private String unsettled() {
        for (int k = 0; k < cluster.size(); k++) {
            if (cluster.node(k)
                    .health(Duration.ofSeconds(2))
                    .map(h -> !h.serving())
                    .orElse(true)) {
                return "node-" + k + " not serving";
            }
        }
        JsonNode placement;
        try {
            placement = ops.placement(anyNode());
        } catch (Exception e) {
            return "no placement document: " + e.getMessage();
        }
        String unsettled = PlacementView.unsettled(placement, cluster.size());
        if (unsettled != null) {
            return unsettled;
        }
        // the map is not enough: each node must also run the replicas the map gives it
        for (int k = 0; k < cluster.size(); k++) {
            try {
                List<Integer> missing = PlacementView.notRunning(placement, ops.mapId(k), ops.fragments(k));
                if (!missing.isEmpty()) {
                    return "node-" + k + " runs no replica of fragments " + missing + " that the map puts on it";
                }
            } catch (Exception e) {
                return "no fragments document from node-" + k + ": " + e.getMessage();
            }
        }
        return null;
    }

    private ChaosEvent inject(int number, EventKind kind) throws InterruptedException {
        long start = System.nanoTime();
        Step step = new Step();
        try {
            switch (kind) {
                case KILL -> kill(step);
                case TRANSFER -> transfer(step);
                case MOVE -> removeAndAdd(step);
                case DRAIN -> drainAndUndrain(step);
                case PARTITION -> partition(step);
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            step.outcome = "FAILED: " + e;
            problems.add("event " + number + " (" + step.what + ") failed: " + e);
        }
        long end = System.nanoTime();
        timeline.event("event " + number + " " + kind.word() + ": " + step.what + " -> " + step.outcome);
        long settled = awaitSettled("event " + number);
        return new ChaosEvent(number, kind, step.what, start, end, settled, step.outcome);
    }

    /** What an event did, filled in as it goes (so that a failure still names it). */
    private static final class Step {
        String what = "";
        String outcome = "";
    }

    private void kill(Step step) throws Exception {
        int k = random.nextInt(cluster.size());
        Duration down = settings.down().pick(random);
        step.what = "kill -9 node-" + k + ", down " + seconds(down);
        cluster.kill9(k);
        timeline.event("kill -9 node-" + k);
        Thread.sleep(down.toMillis());
        long restart = System.nanoTime();
        cluster.restart(k);
        step.outcome = "serving " + HaReport.ms(System.nanoTime() - restart) + " after its restart";
    }

    private void transfer(Step step) throws Exception {
        int pickFragment = random.nextInt(1 << 30);
        int pickTarget = random.nextInt(1 << 30);
        JsonNode f = pick(ops.fragments(anyNode()), pickFragment);
        int id = f.path("id").asInt();
        String leader = PlacementView.leader(f);
        List<String> others = PlacementView.replicas(f).stream()
                .filter(r -> !r.equals(leader))
                .toList();
        String target = others.get(pickTarget % others.size());
        step.what = "fragment " + id + ": leader " + name(leader) + " -> " + name(target);
        int via = leader.isEmpty() ? ops.indexOf(others.get(0)) : ops.indexOf(leader);
        ClusterOps.Answer a = ops.post(
                via, "/api/v1/fragments/transfer-leader", Map.of("fragment", String.valueOf(id), "node", target));
        if (!a.ok()) {
            step.outcome = "refused: " + a;
            return;
        }
        long sent = System.nanoTime();
        while (System.nanoTime() - sent < TRANSFER_LIMIT.toNanos()) {
            if (target.equals(PlacementView.leader(PlacementView.fragment(ops.fragments(via), id)))) {
                step.outcome = "answered " + a.status() + ", leader seen moved " + HaReport.ms(System.nanoTime() - sent)
                        + " after the answer";
                return;
            }
            Thread.sleep(100);
        }
        step.outcome = "answered " + a.status() + ", but the leader was not seen on " + name(target) + " within "
                + TRANSFER_LIMIT.toSeconds() + " s";
    }

    /** Removes a follower replica of a random fragment, then adds it back (an operator moving it out and in). */
    private void removeAndAdd(Step step) throws Exception {
        int pickFragment = random.nextInt(1 << 30);
        int pickNode = random.nextInt(1 << 30);
        JsonNode f = pick(ops.fragments(anyNode()), pickFragment);
        int id = f.path("id").asInt();
        String leader = PlacementView.leader(f);
        List<String> followers = PlacementView.replicas(f).stream()
                .filter(r -> !r.equals(leader))
                .toList();
        String node = followers.get(pickNode % followers.size());
        step.what = "fragment " + id + ": replica on " + name(node) + " removed, then added back";
        int via = leader.isEmpty() ? ops.indexOf(followers.get(0)) : ops.indexOf(leader);
        Map<String, String> params = Map.of("fragment", String.valueOf(id), "node", node);
        ClusterOps.Answer removed = ops.post(via, "/api/v1/fragments/remove-replica", params);
        ClusterOps.Answer added = ops.post(via, "/api/v1/fragments/add-replica", params);
        step.outcome = "remove answered " + removed.status() + ", add answered " + added
                + (removed.ok() ? "" : "; remove: " + removed);
    }

    /** Drains a node until it holds nothing (placement moves its replicas and leaders away), then undrains it. */
    private void drainAndUndrain(Step step) throws Exception {
        int k = random.nextInt(cluster.size());
        String node = ops.mapId(k);
        step.what = "drain node-" + k + " until empty, then undrain";
        int via = (k + 1) % cluster.size();
        ClusterOps.Answer drained = ops.post(via, "/api/v1/nodes/drain", Map.of("node", node));
        if (!drained.ok()) {
            step.outcome = "drain refused: " + drained;
            return;
        }
        long sent = System.nanoTime();
        String last = "";
        boolean empty = false;
        while (!empty && System.nanoTime() - sent < DRAIN_LIMIT.toNanos()) {
            Thread.sleep(500);
            try {
                JsonNode n = PlacementView.node(ops.placement(via), node);
                last = "replicas " + n.path("replicas").asInt() + ", leaders "
                        + n.path("leaders").asInt();
                empty = n.path("replicas").asInt(-1) == 0 && n.path("leaders").asInt(-1) == 0;
            } catch (IOException e) {
                last = e.getMessage();
            }
        }
        long emptied = System.nanoTime() - sent;
        ClusterOps.Answer undrained = ops.post(via, "/api/v1/nodes/undrain", Map.of("node", node));
        step.outcome = (empty
                        ? "empty " + HaReport.ms(emptied) + " after the drain"
                        : "NOT empty " + DRAIN_LIMIT.toSeconds() + " s after the drain (" + last + ")")
                + ", undrain answered " + undrained.status();
        if (!empty) {
            problems.add("drain of node-" + k + ": the node still held " + last + " " + DRAIN_LIMIT.toSeconds()
                    + " s after the drain");
        }
        if (!undrained.ok()) {
            problems.add("undrain of node-" + k + " refused: " + undrained);
        }
    }

    private void partition(Step step) throws Exception {
        int k = random.nextInt(cluster.size());
        Duration cut = settings.cut().pick(random);
        step.what = "node-" + k + " cut off from the others for " + seconds(cut);
        cluster.network().isolate(k);
        try {
            Thread.sleep(cut.toMillis());
        } finally {
            cluster.network().heal();
        }
        step.outcome = "healed; node-" + k + " says "
                + cluster.node(k)
                        .health(Duration.ofSeconds(2))
                        .map(h -> h.role() + (h.serving() ? ", serving" : ", not serving"))
                        .orElse("nothing")
                + " right after the heal";
    }

    /** The fragment at {@code pick} modulo the number of fragments of {@code doc}. */
    private static JsonNode pick(JsonNode doc, int pick) {
        JsonNode fragments = doc.path("fragments");
        if (fragments.isEmpty()) {
            throw new IllegalStateException("no fragment in " + doc);
        }
        return fragments.get(pick % fragments.size());
    }

    /** The first node that answers /health (every node does between two events). */
    private int anyNode() {
        for (int k = 0; k < cluster.size(); k++) {
            Optional<?> h = cluster.node(k).health(Duration.ofSeconds(2));
            if (h.isPresent()) {
                return k;
            }
        }
        return 0;
    }

    private String name(String id) {
        int k = ops.indexOf(id);
        return k < 0 ? (id.isEmpty() ? "nobody" : id) : "node-" + k;
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
