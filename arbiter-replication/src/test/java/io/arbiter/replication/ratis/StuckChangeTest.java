package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicationException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A membership change whose new peer answers the leader but never catches up keeps Ratis's leader in staging: it
 * refuses every later change and every leadership transfer ("reconfiguration in progress") for as long as staging
 * lasts, which Ratis does not bound while the peer answers. A peer that can catch up must be added even when the
 * group is idle, and once a change that cannot finish is given up, the group must take changes again.
 */
class StuckChangeTest {

    @TempDir
    Path dir;

    @Test
    void aChangeGivenUpDoesNotKeepTheGroupFromLaterChanges() throws Exception {
        try (TestNodes n = new TestNodes(dir, 4, b -> b.adminTimeout(Duration.ofSeconds(8)))) {
            n.startAll();
            UUID g = TestNodes.groupId(0);
            n.addGroup(g, 0, 1, 2);
            int leader = n.awaitLeader(g, 0, 1, 2);
            List<CompletableFuture<byte[]>> proposals = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                proposals.add(n.group(leader, g).propose(add("k", "v" + i)));
            }
            CompletableFuture.allOf(proposals.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            // a new peer that refuses everything the leader sends as coming from a stale leader: its term is above the
            // leader's (how a real one got into such a state is not known; what matters is a peer that answers
            // without ever catching up, which Ratis counts as progress)
            n.nodes[3].addGroup(g, List.of(), true).get(30, TimeUnit.SECONDS);
            n.nodes[3].removeGroup(g, false).get(30, TimeUnit.SECONDS);
            Files.writeString(
                    dir.resolve(n.peers.get(3).id())
                            .resolve(g.toString())
                            .resolve("current")
                            .resolve("raft-meta"),
                    "term=50\nvotedFor=\n");
            n.nodes[3].addGroup(g, List.of(), true).get(30, TimeUnit.SECONDS);
            long termBefore = n.group(leader, g).term();

            assertThat(n.group(leader, g).changePeers(n.peers(0, 1, 2), n.peers(0, 1, 2, 3)))
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(IndeterminateException.class);

            // the group takes changes again (a change to the configuration in place is answered at once), under a
            // new term: the leader that held the stuck change stepped down
            int[] members = {0, 1, 2};
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                int now = n.awaitLeader(g, members);
                assertThat(n.group(now, g).changePeers(n.peers(0, 1, 2))).succeedsWithin(Duration.ofSeconds(10));
            });
            int now = n.awaitLeader(g, members);
            assertThat(n.group(now, g).term()).isGreaterThan(termBefore);
            assertThat(n.group(now, g).peers()).containsExactlyElementsOf(n.peers(0, 1, 2));
            assertThat(n.group(now, g).propose(add("k", "after"))).succeedsWithin(Duration.ofSeconds(10));
        }
    }

    /**
     * A new peer that already holds the whole log of an idle group — it got it during an earlier attempt of the same
     * add, which failed for another new peer — is caught up by the next attempt: Ratis counts it as caught up only
     * once an append to it succeeds, which an idle group would never send it (a full run saw such an add hang on the
     * lock-only fragment, whose log hardly grows).
     */
    @Test
    void aNewPeerThatAlreadyHoldsTheLogOfAnIdleGroupIsAdded() throws Exception {
        try (TestNodes n = new TestNodes(dir, 4, b -> b.adminTimeout(Duration.ofSeconds(20)));
                ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            n.startAll();
            UUID g = TestNodes.groupId(0);
            n.addGroup(g, 0, 1, 2);
            int leader = n.awaitLeader(g, 0, 1, 2);
            for (int i = 0; i < 20; i++) {
                n.group(leader, g).propose(add("k", "v" + i)).get(10, TimeUnit.SECONDS);
            }
            n.nodes[3].addGroup(g, List.of(), true).get(30, TimeUnit.SECONDS);

            // a first attempt with a second new peer that accepts connections but never answers: it fails, after
            // the peer on node 3 received the whole (idle) log
            Peer ghost = new Peer("ghost", "127.0.0.1", silent.getLocalPort());
            List<Peer> withGhost = new ArrayList<>(n.peers(0, 1, 2, 3));
            withGhost.add(ghost);
            assertThat(n.group(leader, g).changePeers(n.peers(0, 1, 2), withGhost))
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ReplicationException.class)
                    .withMessageContaining("did not catch up");
            assertThat(n.group(leader, g).peers()).containsExactlyElementsOf(n.peers(0, 1, 2));

            long start = System.nanoTime();
            assertThat(n.group(leader, g).changePeers(n.peers(0, 1, 2), n.peers(0, 1, 2, 3)))
                    .succeedsWithin(Duration.ofSeconds(15));
            System.out.printf("added after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> n.group(3, g).view().member());
            assertThat(n.group(leader, g).propose(add("k", "after"))).succeedsWithin(Duration.ofSeconds(10));
        }
    }
}
