package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Automatic placement in a real cluster (nodes in one JVM, real sockets, real Raft): a node that joins gets its share
 * of replicas and leaders, a node that is gone for longer than {@code arbiter.placement.node-down-after} has its
 * replicas replaced, and a node drained with {@code bin/arbiter nodes drain} ends with nothing and can then leave
 * through Seata's changeCluster; {@code bin/arbiter cluster} shows nodes and operators; transactions keep committing
 * throughout.
 */
class PlacementClusterTest extends PlacementCluster {
    @Test
    void joiningNodesGetTheirShareUnderLoad() throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 3, SETTINGS));
        await().atMost(Duration.ofSeconds(30)).until(() -> balanced(nodes));
        try (BeginCommitLoad load = new BeginCommitLoad(nodes.get(0))) {
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
        try (BeginCommitLoad load = new BeginCommitLoad(entry)) {
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
}
