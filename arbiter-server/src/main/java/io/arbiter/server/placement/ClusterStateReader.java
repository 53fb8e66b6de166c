package io.arbiter.server.placement;

import io.arbiter.placement.ClusterState;
import io.arbiter.placement.FragmentState;
import io.arbiter.placement.NodeState;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Builds the scheduler's {@link ClusterState} on the meta leader: members and draining flags from the cluster map,
 * reachability from this node's probes (with the time of the last change, tracked here), leaders and load from the
 * nodes' recent reports (a fragment's leader is its preferred replica when that node is up, as leadership goes
 * there; else the node whose report says it leads; failing that, this node's own replica's view), and a fragment's
 * Raft voters as its leader reports them once they have disagreed with the map for {@link #DISAGREE_FOR_MS} (a
 * replica change changes the map and the Raft group one after the other, so they differ while it runs, and a
 * report can be a second old; a change that went only half through leaves them differing for good).
 *
 * <p>Threading: confined to the placement loop's thread.
 */
final class ClusterStateReader {
    /** How long the map and a fragment's voters must disagree (the same way) before placement acts on it. */
    static final long DISAGREE_FOR_MS = 15_000;

    /** How long this node may run on an older map than its meta replica has applied before that is reported. */
    static final long MAP_LAG_REPORTED_AFTER_MS = 30_000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterStateReader.class);

    private final String self;
    private final Fragments fragments;
    private final java.util.function.Supplier<ClusterMap> metaMap;
    /** Since when this node's followed map lags its meta replica's (-1: it does not), and whether that was said. */
    private long lagSince = -1;

    private boolean lagReported;
    private final Predicate<String> reachable;
    private final NodeReports reports;
    /** Per member: reachable as last seen, and since when (-1: as far as this loop knows, always). */
    private final Map<String, long[]> seen = new HashMap<>();
    /** Per fragment whose voters differ from its replicas: how (replicas, voters as sets) and since when. */
    private final Map<Integer, Disagreement> disagreements = new HashMap<>();

    private record Disagreement(Set<String> replicas, Set<String> voters, long since) {}

    /**
     * @param metaMap the map as this node's meta replica has applied it (null while it has none): placement runs on
     *     the meta leader, whose replica has the newest map, so it plans from that one rather than from the map this
     *     node's replicas were last reconciled with (which follows a moment later)
     */
    ClusterStateReader(
            String self,
            Fragments fragments,
            java.util.function.Supplier<ClusterMap> metaMap,
            Predicate<String> reachable,
            NodeReports reports) {
        this.self = self;
        this.fragments = fragments;
        this.metaMap = metaMap;
        this.reachable = reachable;
        this.reports = reports;
    }

    /** Forgets the reachability history (a new term as meta leader starts from what it sees then). */
    void reset() {
        seen.clear();
        disagreements.clear();
    }

    ClusterState read(long now) {
        ClusterMap followed = fragments.map();
        ClusterMap newest = metaMap.get();
        ClusterMap map = newest != null && newest.epoch() >= followed.epoch() ? newest : followed;
        reportLag(followed, map, now);
        List<NodeState> nodes = new ArrayList<>();
        for (String id : map.members()) {
            boolean up = id.equals(self) || reachable.test(id);
            long[] last = seen.get(id);
            long since;
            if (last == null) {
                since = up ? -1 : now; // unknown history: up counts as long up; down counts from now
            } else if ((last[0] == 1) != up) {
                since = now;
            } else {
                since = last[1];
            }
            seen.put(id, new long[] {up ? 1 : 0, since});
            boolean draining = map.node(id).map(ClusterMap.NodeInfo::draining).orElse(false);
            double cpu = reports.latest(id, now).map(NodeReport::cpu).orElse(0.0);
            nodes.add(new NodeState(id, up, since, draining, cpu));
        }
        seen.keySet().retainAll(map.members());
        List<FragmentState> states = new ArrayList<>();
        disagreements
                .keySet()
                .retainAll(map.fragments().stream()
                        .map(ClusterMap.FragmentInfo::id)
                        .collect(Collectors.toSet()));
        for (ClusterMap.FragmentInfo f : map.fragments()) {
            Optional<Led> led = reports.leaderOf(f.id(), now);
            List<String> reported =
                    led.map(l -> l.load().voters()).filter(v -> !v.isEmpty()).orElse(null);
            String leader = preferredIfUp(f, nodes)
                    .filter(first -> reported == null || reported.contains(first))
                    .orElseGet(() -> led.map(Led::node).orElseGet(() -> localView(f.id())));
            if (leader != null && !f.replicas().contains(leader)) {
                leader = null;
            }
            NodeReport.FragmentLoad load = led.map(Led::load).orElse(null);
            states.add(new FragmentState(
                    f.id(),
                    f.replicas(),
                    leader,
                    f.acceptsBegins(),
                    load == null ? 0 : load.commandsPerSecond(),
                    load == null ? 0 : load.activeTransactions(),
                    0,
                    lastingDisagreement(f, reported, now)));
        }
        return ClusterState.of(nodes, states);
    }

    /** Warns once when this node's replicas follow an older map than its meta replica's for long (they should not). */
    private void reportLag(ClusterMap followed, ClusterMap newest, long now) {
        if (followed.epoch() >= newest.epoch()) {
            lagSince = -1;
            lagReported = false;
            return;
        }
        if (lagSince < 0) {
            lagSince = now;
        } else if (!lagReported && now - lagSince >= MAP_LAG_REPORTED_AFTER_MS) {
            lagReported = true;
            LOG.warn(
                    "this node's replicas still follow cluster map epoch {} while its meta replica applied epoch {} "
                            + "{} ms ago or more",
                    followed.epoch(),
                    newest.epoch(),
                    now - lagSince);
        }
    }

    /**
     * {@code reported}, the voters of fragment {@code f}'s Raft group, if they have differed from the map's replicas
     * in the same way for {@link #DISAGREE_FOR_MS}; else null (they agree, are unknown, or differ only for now).
     */
    private List<String> lastingDisagreement(ClusterMap.FragmentInfo f, List<String> reported, long now) {
        if (reported == null) {
            return null; // no fresh report from its leader (it is changing): unknown now, what was seen is kept
        }
        Set<String> replicas = Set.copyOf(f.replicas());
        Set<String> voters = Set.copyOf(reported);
        if (replicas.equals(voters)) {
            disagreements.remove(f.id());
            return null;
        }
        Disagreement d = disagreements.get(f.id());
        if (d == null || !d.replicas().equals(replicas) || !d.voters().equals(voters)) {
            disagreements.put(f.id(), new Disagreement(replicas, voters, now));
            return null;
        }
        return now - d.since() >= DISAGREE_FOR_MS ? reported : null;
    }

    /**
     * The fragment's preferred replica (the first in the map) when its node is up: the fragment's leader hands
     * leadership to it within seconds ({@code PreferredLeaders}), and every leader move of the scheduler records its
     * target as preferred first. Counting leaders this way, the scheduler does not react to the moment between an
     * election and that hand-over (the cluster's start, a node's return) with moves of its own.
     */
    private static Optional<String> preferredIfUp(ClusterMap.FragmentInfo f, List<NodeState> nodes) {
        if (f.replicas().isEmpty()) {
            return Optional.empty();
        }
        String first = f.replicas().get(0);
        return nodes.stream()
                .filter(n -> n.id().equals(first) && n.reachable())
                .findFirst()
                .map(n -> first);
    }

    private String localView(int fragment) {
        return fragments
                .local(fragment)
                .filter(Fragment::attached)
                .flatMap(Fragment::leaderId)
                .orElse(null);
    }

    /** A fragment's leader as its own report says, with its figures. */
    record Led(String node, NodeReport.FragmentLoad load) {}
}
