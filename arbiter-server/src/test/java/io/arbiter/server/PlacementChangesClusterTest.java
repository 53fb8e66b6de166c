package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Automatic placement in a real cluster, continued (see {@link PlacementCluster}): a replica change that went only
 * half through is completed, the meta group moves off a member that leaves, and load grows fragments that a calm
 * period retires.
 */
class PlacementChangesClusterTest extends PlacementCluster {
    @Test
    void aReplicaChangeThatWentOnlyHalfThroughIsCompleted() throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 4, SETTINGS));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> balanced(nodes) && disagreeing().isEmpty());
        try (BeginCommitLoad load = new BeginCommitLoad(nodes.get(0))) {
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

    /**
     * The meta group (the cluster map's own Raft group) moves off a member that leaves, so the cluster survives
     * losing the nodes it was created with: without that, stopping two of the three founding nodes would leave the
     * map without a quorum, and no drain, join or fragment change could be recorded any more.
     */
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
