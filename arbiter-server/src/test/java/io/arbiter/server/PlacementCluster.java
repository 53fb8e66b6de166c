package io.arbiter.server;

import static org.awaitility.Awaitility.await;

import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the automatic-placement tests in a real cluster share (nodes in one JVM, real sockets, real Raft): starting and
 * joining nodes, a begin + commit load, and reading replicas, leaders and voters from the nodes. The tests are split
 * over {@link PlacementClusterTest} and {@link PlacementChangesClusterTest} so that the build's test JVMs run them side
 * by side (each starts its own cluster; together they took 2.5 minutes in one class).
 */
abstract class PlacementCluster {
    @TempDir
    Path dataDir;

    final List<ArbiterNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(ArbiterNode::close);
    }

    static final Map<String, String> SETTINGS =
            Map.of("arbiter.fragments", "8", "arbiter.placement.node-down-after", "4s");

    static String id(ArbiterNode n) {
        return n.config().selfId();
    }

    /** The map as the meta leader's node has it. */
    ClusterMap map() {
        return nodes.stream()
                .filter(n -> n.placement().map(p -> p.leading()).orElse(false))
                .findFirst()
                .orElse(nodes.get(0))
                .fragments()
                .map();
    }

    Map<String, Long> replicasPerNode(List<ArbiterNode> live) {
        ClusterMap map = map();
        return live.stream().collect(Collectors.toMap(PlacementCluster::id, n ->
                (long) map.hostedBy(id(n)).size()));
    }

    Map<String, Long> leadersPerNode(List<ArbiterNode> live) {
        Map<String, Long> counts = new HashMap<>();
        for (ArbiterNode n : live) {
            counts.put(
                    id(n),
                    n.fragments().all().stream().filter(Fragment::isLeader).count());
        }
        return counts;
    }

    /** Every fragment on 3 live nodes, replicas and leaders per node within 1 of the mean. */
    boolean balanced(List<ArbiterNode> live) {
        ClusterMap map = map();
        List<String> ids = live.stream().map(PlacementCluster::id).toList();
        boolean placed =
                map.fragments().stream().allMatch(f -> f.replicas().size() == 3 && ids.containsAll(f.replicas()));
        double replicaMean = map.fragments().size() * 3.0 / live.size();
        double leaderMean = map.fragments().size() * 1.0 / live.size();
        return placed
                && replicasPerNode(live).values().stream().allMatch(c -> Math.abs(c - replicaMean) <= 1)
                && leadersPerNode(live).values().stream().allMatch(c -> Math.abs(c - leaderMean) <= 1)
                && leadersPerNode(live).values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        == map.fragments().size();
    }

    String describe(List<ArbiterNode> live) {
        return "replicas " + replicasPerNode(live) + ", leaders " + leadersPerNode(live) + ", map " + map().fragments();
    }

    ArbiterNode join() throws Exception {
        int rpc = TestNodes.conventionalRpcPort();
        Map<String, String> values = new HashMap<>(SETTINGS);
        values.put("arbiter.port", String.valueOf(rpc));
        values.put("arbiter.http-port", String.valueOf(rpc - 1000));
        values.put("arbiter.raft-port", String.valueOf(rpc + 1000));
        values.put("arbiter.cluster", raftList(nodes) + ",127.0.0.1:" + (rpc + 1000));
        values.put("arbiter.join", "true");
        ArbiterNode joined = TestNodes.start(dataDir.resolve("n" + nodes.size()), values);
        nodes.add(joined);
        return joined;
    }

    static String raftList(List<ArbiterNode> members) {
        return members.stream().map(n -> "127.0.0.1:" + n.config().raftPort()).collect(Collectors.joining(","));
    }

    /** Runs {@code bin/arbiter} in this JVM against {@code via}'s HTTP API. */
    static TestCli.Run cli(ArbiterNode via, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--node", "127.0.0.1:" + via.httpPort()));
        return TestCli.run(all);
    }

    /** Fragments whose Raft voters (as their leader has them) differ from the map's replicas, or are not 3. */
    List<String> disagreeing() {
        ClusterMap map = map();
        List<String> found = new ArrayList<>();
        for (ClusterMap.FragmentInfo f : map.fragments()) {
            List<String> voters = nodes.stream()
                    .flatMap(n -> n.fragments().local(f.id()).stream())
                    .filter(Fragment::isLeader)
                    .findFirst()
                    .map(l -> l.group().peers().stream()
                            .map(io.arbiter.replication.ReplicaGroupConfig.Peer::id)
                            .sorted()
                            .toList())
                    .orElse(List.of());
            List<String> replicas = f.replicas().stream().sorted().toList();
            if (!voters.equals(replicas) || replicas.size() != 3) {
                found.add("fragment " + f.id() + ": map " + replicas + ", voters " + voters);
            }
        }
        return found;
    }

    /** The fragment's current leader replica, waiting out a moment without one (an election under load). */
    Fragment leaderOf(int fragment) {
        return await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> nodes.stream()
                                .flatMap(n -> n.fragments().local(fragment).stream())
                                .filter(Fragment::isLeader)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }
}
