package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic placement in a real cluster (nodes in one JVM, real sockets, real Raft): a node that joins gets its share
 * of replicas and leaders, a node that is gone for longer than {@code arbiter.placement.node-down-after} has its
 * replicas replaced, and a node drained with {@code bin/arbiter nodes drain} ends with nothing and can then leave
 * through Seata's changeCluster; {@code bin/arbiter cluster} shows nodes and operators; transactions keep committing
 * throughout.
 */
class PlacementClusterTest {
    @TempDir
    Path dataDir;

    private final List<ArbiterNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(ArbiterNode::close);
    }

    private static final Map<String, String> SETTINGS =
            Map.of("arbiter.fragments", "8", "arbiter.placement.node-down-after", "4s");

    /** A begin + commit loop on one node, counting what committed and what did not. */
    private static final class Load implements AutoCloseable {
        final AtomicInteger committed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Load(ArbiterNode entry) {
            thread = new Thread(
                    () -> {
                        try (RawSeataClient tm = RawSeataClient.tm(entry.port())) {
                            while (running.get()) {
                                GlobalBeginResponse b =
                                        (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "p"));
                                GlobalCommitResponse c = b.resultCode() == ResultCode.Success
                                        ? (GlobalCommitResponse) tm.call(new GlobalCommitRequest(b.xid()))
                                        : null;
                                if (c != null && c.globalStatus() == GlobalStatus.Committed) {
                                    committed.incrementAndGet();
                                } else {
                                    failed.incrementAndGet();
                                    failures.add(
                                            b.resultCode() + " " + b.msg() + (c == null ? "" : " " + c.globalStatus()));
                                }
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            failures.add(e.toString());
                        }
                    },
                    "placement-load");
            thread.start();
        }

        void awaitProgress(int more) {
            int from = committed.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> committed.get() >= from + more);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }

    private static String id(ArbiterNode n) {
        return n.config().selfId();
    }

    /** The map as the meta leader's node has it. */
    private ClusterMap map() {
        return nodes.stream()
                .filter(n -> n.placement().map(p -> p.leading()).orElse(false))
                .findFirst()
                .orElse(nodes.get(0))
                .fragments()
                .map();
    }

    private Map<String, Long> replicasPerNode(List<ArbiterNode> live) {
        ClusterMap map = map();
        return live.stream().collect(Collectors.toMap(PlacementClusterTest::id, n ->
                (long) map.hostedBy(id(n)).size()));
    }

    private Map<String, Long> leadersPerNode(List<ArbiterNode> live) {
        Map<String, Long> counts = new HashMap<>();
        for (ArbiterNode n : live) {
            counts.put(
                    id(n),
                    n.fragments().all().stream().filter(Fragment::isLeader).count());
        }
        return counts;
    }

    /** Every fragment on 3 live nodes, replicas and leaders per node within 1 of the mean. */
    private boolean balanced(List<ArbiterNode> live) {
        ClusterMap map = map();
        List<String> ids = live.stream().map(PlacementClusterTest::id).toList();
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

    private String describe(List<ArbiterNode> live) {
        return "replicas " + replicasPerNode(live) + ", leaders " + leadersPerNode(live) + ", map " + map().fragments();
    }

    private ArbiterNode join() throws Exception {
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

    private static String raftList(List<ArbiterNode> members) {
        return members.stream().map(n -> "127.0.0.1:" + n.config().raftPort()).collect(Collectors.joining(","));
    }

    /** Runs {@code bin/arbiter} in this JVM against {@code via}'s HTTP API. */
    private static TestCli.Run cli(ArbiterNode via, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--node", "127.0.0.1:" + via.httpPort()));
        return TestCli.run(all);
    }

    @Test
    void joiningNodesGetTheirShareUnderLoad() throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 3, SETTINGS));
        await().atMost(Duration.ofSeconds(30)).until(() -> balanced(nodes));
        try (Load load = new Load(nodes.get(0))) {
            load.awaitProgress(20);
            for (int k = 0; k < 2; k++) {
                ArbiterNode joined = join();
                assertThat(TestNodes.changeCluster(nodes.get(0), raftList(nodes)))
                        .isEqualTo(200);
                long start = System.nanoTime();
                // usually 4-10 s; one full-suite run saw a step hang after a concurrent leadership transfer: the
                // executor abandons a step after its 120 s timeout and placement plans again (gap in STATUS.md)
                await().atMost(Duration.ofSeconds(150))
                        .pollInterval(Duration.ofMillis(500))
                        .failFast("lost a transaction", () -> load.failed.get() > 0)
                        .untilAsserted(() ->
                                assertThat(balanced(nodes)).as(describe(nodes)).isTrue());
                System.out.printf(
                        "placement: node %d (%s) has its share %d ms after it joined: %s%n",
                        nodes.size(), id(joined), (System.nanoTime() - start) / 1_000_000, describe(nodes));
                assertThat(map().members()).contains(id(joined));
                load.awaitProgress(20);
            }
            load.close();
            assertThat(load.failures).as("failed transactions").isEmpty();
        }
    }

    @Test
    void aDeadNodesReplicasAreReplacedAndALeavingMemberIsDrained() throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 5, SETTINGS));
        await().atMost(Duration.ofSeconds(30)).until(() -> balanced(nodes));
        ArbiterNode metaLeader = nodes.stream()
                .filter(n -> n.placement().map(p -> p.leading()).orElse(false))
                .findFirst()
                .orElseThrow();
        ArbiterNode victim =
                nodes.stream().filter(n -> n != metaLeader).findFirst().orElseThrow();
        ArbiterNode entry = nodes.stream()
                .filter(n -> n != metaLeader && n != victim)
                .findFirst()
                .orElseThrow();
        try (Load load = new Load(entry)) {
            load.awaitProgress(20);
            List<Integer> held = map().hostedBy(id(victim)).stream()
                    .map(ClusterMap.FragmentInfo::id)
                    .toList();
            assertThat(held).isNotEmpty();
            victim.close();
            nodes.remove(victim);
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() ->
                            assertThat(balanced(nodes)).as(describe(nodes)).isTrue());
            long repairedMs = (System.nanoTime() - killed) / 1_000_000;
            System.out.printf(
                    "placement: %d replicas of a stopped node replaced %d ms after it stopped (down "
                            + "after 4 s): %s%n",
                    held.size(), repairedMs, describe(nodes));
            assertThat(repairedMs).as("nothing moves before the down time").isGreaterThanOrEqualTo(4_000);
            load.awaitProgress(20);

            // the stopped node comes back: the replicas it held were replaced, so it deletes them
            ArbiterNode back = ArbiterNode.start(victim.config());
            nodes.add(back);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(back.fragments().all())
                            .extracting(Fragment::id)
                            .allMatch(f ->
                                    map().fragment(f).orElseThrow().replicas().contains(id(back))));
            nodes.remove(back);
            back.close();
            load.awaitProgress(20);

            ArbiterNode leaving = nodes.stream()
                    .filter(n -> n != metaLeader && n != entry)
                    .findFirst()
                    .orElseThrow();
            String leavingRaft = "127.0.0.1:" + leaving.config().raftPort();
            TestCli.Run drain = cli(entry, "nodes", "drain", leavingRaft);
            assertThat(drain.status()).as(drain.err()).isZero();
            assertThat(drain.out()).contains("draining");
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(map().hostedBy(id(leaving)))
                            .as(describe(nodes))
                            .isEmpty());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> leaving.fragments().all().isEmpty());

            // the cluster document is the meta leader's last placement round (once a second): wait for the round
            // that saw the drain finished
            JsonNode doc = await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                TestCli.Run cluster = cli(entry, "cluster", "--json");
                                assertThat(cluster.status()).as(cluster.err()).isZero();
                                return new ObjectMapper().readTree(cluster.out());
                            },
                            d -> java.util.stream.StreamSupport.stream(
                                            d.path("nodes").spliterator(), false)
                                    .anyMatch(n -> n.path("id").asText().equals(id(leaving))
                                            && n.path("replicas").asInt() == 0));
            assertThat(doc.path("metaLeader").asText()).isEqualTo(id(metaLeader));
            JsonNode drained = java.util.stream.StreamSupport.stream(
                            doc.path("nodes").spliterator(), false)
                    .filter(n -> n.path("id").asText().equals(id(leaving)))
                    .findFirst()
                    .orElseThrow();
            assertThat(drained.path("draining").asBoolean()).isTrue();
            assertThat(drained.path("replicas").asInt()).isZero();
            assertThat(doc.path("operators").findValuesAsText("outcome")).contains("SUCCEEDED");
            assertThat(doc.path("operators").findValuesAsText("kind")).contains("REPAIR");
            TestCli.Run table = cli(metaLeader, "cluster");
            assertThat(table.out()).contains("draining", "REPAIR", "SUCCEEDED");

            TestCli.Run unknown = cli(entry, "nodes", "drain", "10.9.9.9:1");
            assertThat(unknown.status()).isEqualTo(1);
            assertThat(unknown.err()).contains("no member");

            List<ArbiterNode> staying = nodes.stream().filter(n -> n != leaving).toList();
            assertThat(TestNodes.changeCluster(
                            entry,
                            raftList(staying) + ",127.0.0.1:" + victim.config().raftPort()))
                    .as("changeCluster without the drained member")
                    .isEqualTo(200);
            // the answering node follows the new map before it answers; the meta leader's node a moment after
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(map().members()).doesNotContain(id(leaving)));
            assertThat(entry.fragments().map().members()).doesNotContain(id(leaving));

            // the meta group follows: 3 voters, all of them live members (the drained one and the stopped one leave
            // it), and the drained node drops its meta replica
            List<String> live = staying.stream().map(PlacementClusterTest::id).toList();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        List<String> voters =
                                metaLeader.placement().orElseThrow().metaVoters();
                        assertThat(voters)
                                .as(
                                        "meta voters; last change: %s",
                                        metaLeader.placement().orElseThrow().lastMetaChange())
                                .hasSize(3);
                        assertThat(live).containsAll(voters);
                    });
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !leaving.holdsMetaReplica());
            JsonNode after =
                    new ObjectMapper().readTree(cli(entry, "cluster", "--json").out());
            assertThat(after.path("metaVoters").toString()).doesNotContain(id(leaving));
            load.awaitProgress(20);
            load.close();
            assertThat(load.failures).as("failed transactions").isEmpty();

            // the meta leader stops: its successor still shows the operators it ran (the meta group keeps them)
            String oldLeader = id(metaLeader);
            nodes.remove(metaLeader);
            metaLeader.close();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        java.util.Optional<ArbiterNode> successor = nodes.stream()
                                .filter(n -> n.placement().map(p -> p.leading()).orElse(false))
                                .findFirst();
                        assertThat(successor).as("a new meta leader").isPresent();
                        assertThat(successor.get().placement().orElseThrow().operators())
                                .anySatisfy(r -> {
                                    assertThat(r.by()).isEqualTo(oldLeader);
                                    assertThat(r.kind()).isEqualTo("REPAIR");
                                    assertThat(r.outcome()).isEqualTo("SUCCEEDED");
                                });
                    });
        }
    }

    /**
     * The meta group (the cluster map's own Raft group) moves off a member that leaves, so the cluster survives
     * losing the nodes it was created with: without that, stopping two of the three founding nodes would leave the
     * map without a quorum, and no drain, join or fragment change could be recorded any more.
     */
    /** Fragments whose Raft voters (as their leader has them) differ from the map's replicas, or are not 3. */
    private List<String> disagreeing() {
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
    private Fragment leaderOf(int fragment) {
        return await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> nodes.stream()
                                .flatMap(n -> n.fragments().local(fragment).stream())
                                .filter(Fragment::isLeader)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    @Test
    void aReplicaChangeThatWentOnlyHalfThroughIsCompleted() throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 4, SETTINGS));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> balanced(nodes) && disagreeing().isEmpty());
        try (Load load = new Load(nodes.get(0))) {
            load.awaitProgress(20);
            // the Raft half alone: a replica the map names stops voting (an add whose Raft half failed looks the same)
            ClusterMap.FragmentInfo first = map().fragments().get(0);
            Fragment leader = leaderOf(first.id());
            var current = leader.group().peers();
            String stray = current.stream()
                    .map(io.arbiter.replication.ReplicaGroupConfig.Peer::id)
                    .filter(id -> !id.equals(leader.leaderId().orElseThrow()))
                    .findFirst()
                    .orElseThrow();
            leader.group()
                    .changePeers(
                            current,
                            current.stream().filter(p -> !p.id().equals(stray)).toList())
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            // the map half alone: the map drops a replica whose node still votes (a removal whose Raft half failed)
            ClusterMap.FragmentInfo second = map().fragments().get(1);
            String ghost = second.replicas().get(second.replicas().size() - 1);
            nodes.get(0)
                    .operations()
                    .meta(new io.arbiter.server.meta.MetaCommand.ChangeReplica(
                            second.id(), ghost, io.arbiter.server.meta.MetaCommand.ChangeReplica.Change.REMOVE))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            long halfDone = System.nanoTime();
            assertThat(disagreeing()).isNotEmpty();

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(disagreeing()).isEmpty());
            System.out.printf(
                    "placement: fragment %d without its voter %s and fragment %d without %s in the map agree again "
                            + "after %d ms: %s%n",
                    first.id(), stray, second.id(), ghost, (System.nanoTime() - halfDone) / 1_000_000, describe(nodes));
            load.awaitProgress(20);
            assertThat(load.failures).isEmpty();
        }
    }

    @Test
    void theMetaGroupMovesOffAMemberThatLeaves() throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 3, SETTINGS));
        await().atMost(Duration.ofSeconds(30)).until(() -> balanced(nodes));
        join();
        assertThat(TestNodes.changeCluster(nodes.get(0), raftList(nodes))).isEqualTo(200);
        ArbiterNode leaving = nodes.get(0);
        List<ArbiterNode> staying = new ArrayList<>(nodes.subList(1, nodes.size()));
        ArbiterNode entry = staying.get(staying.size() - 1); // the node that joined
        assertThat(entry.holdsMetaReplica())
                .as("a joined node starts without a meta replica")
                .isFalse();

        assertThat(TestNodes.changeCluster(entry, raftList(staying)))
                .as("changeCluster without the first node")
                .isEqualTo(200);
        List<String> live = staying.stream().map(PlacementClusterTest::id).toList();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    ArbiterNode metaLeader = staying.stream()
                            .filter(n -> n.placement().map(p -> p.leading()).orElse(false))
                            .findFirst()
                            .orElseThrow();
                    List<String> voters = metaLeader.placement().orElseThrow().metaVoters();
                    assertThat(voters)
                            .as(
                                    "meta voters; last change: %s",
                                    metaLeader.placement().orElseThrow().lastMetaChange())
                            .hasSize(3)
                            .doesNotContain(id(leaving));
                    assertThat(live).containsAll(voters);
                });
        assertThat(entry.holdsMetaReplica())
                .as("the joined node took the leaving node's place")
                .isTrue();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !leaving.holdsMetaReplica());

        // stop the leaving node and a second founding node: the meta group still has a majority (the other
        // founding node and the joined one), so the map still takes changes
        ArbiterNode second = staying.get(0);
        leaving.close();
        nodes.remove(leaving);
        second.close();
        nodes.remove(second);
        String target = "127.0.0.1:" + staying.get(1).config().raftPort();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    TestCli.Run drain = cli(entry, "nodes", "drain", target);
                    assertThat(drain.status()).as(drain.err()).isZero();
                });
        assertThat(cli(entry, "nodes", "undrain", target).status()).isZero();
    }

    @Test
    void loadGrowsFragmentsAndACalmPeriodRetiresThem() throws Exception {
        ArbiterNode node = TestNodes.start(
                dataDir.resolve("single"),
                Map.of(
                        "arbiter.fragments",
                        "2",
                        "arbiter.placement.max-fragments",
                        "4",
                        "arbiter.placement.grow-above",
                        "50",
                        "arbiter.placement.retire-after-calm",
                        "5s",
                        "arbiter.placement.resize-cooldown",
                        "2s"));
        nodes.add(node);
        List<String> open = new ArrayList<>();
        try (RawSeataClient tm = RawSeataClient.tm(node.port())) {
            for (int i = 0; i < 300; i++) {
                GlobalBeginResponse b = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(120_000, "spike"));
                assertThat(b.resultCode()).isEqualTo(ResultCode.Success);
                open.add(b.xid());
            }
            long spike = System.nanoTime();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> node.fragments().map().fragments().size() == 4);
            System.out.printf(
                    "placement: 300 open transactions (over 50 per fragment) grew 2 fragments to 4 in %d ms%n",
                    (System.nanoTime() - spike) / 1_000_000);
            TestCli.Run cluster = cli(node, "cluster", "--json");
            assertThat(new ObjectMapper()
                            .readTree(cluster.out())
                            .path("operators")
                            .findValuesAsText("kind"))
                    .contains("GROW");
            // a new connection: the wait for the growth can outlast arbiter.read-idle-ms (15 s) of this client,
            // which sends no heartbeats (a Seata client does), so the node may have closed the first one
            try (RawSeataClient again = RawSeataClient.tm(node.port())) {
                for (String xid : open) {
                    again.call(new io.arbiter.protocol.message.GlobalRollbackRequest(xid));
                }
            }
            long calm = System.nanoTime();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> node.fragments().map().fragments().size() == 2);
            System.out.printf(
                    "placement: calm for 5 s retired and dropped the 2 extra fragments in %d ms%n",
                    (System.nanoTime() - calm) / 1_000_000);
            assertThat(node.fragments().map().fragments())
                    .extracting(ClusterMap.FragmentInfo::id)
                    .containsExactly(0, 1);
        }
        // a new connection again (the wait for the retirement, too, can outlast the read-idle time)
        try (RawSeataClient tm = RawSeataClient.tm(node.port())) {
            GlobalBeginResponse after = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "after"));
            assertThat(after.resultCode()).isEqualTo(ResultCode.Success);
        }
    }
}
