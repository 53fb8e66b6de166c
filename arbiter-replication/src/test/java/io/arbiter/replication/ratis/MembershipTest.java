package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.GroupView;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicationException;
import io.arbiter.replication.UnreachablePeerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership changes on a real Ratis group (loopback, reference timeouts 1 s / 2 s) while a client keeps proposing:
 * a joining replica waits quietly, is added and catches up, the leader and a follower are removed; no acknowledged
 * command is lost or applied twice.
 */
class MembershipTest {

    @TempDir
    Path dir;

    @Test
    void addsAndRemovesPeersWhileProposing() throws Exception {
        try (TestCluster c =
                new TestCluster(dir, 3, 1, b -> b.maxCommandsPerEntry(16).snapshotThresholdEntries(200))) {
            c.startAll();
            int leader = c.awaitLeader();
            int follower = (leader + 1) % 3;
            long termBefore = c.groups[leader].term();
            List<GroupView> followerViews = new CopyOnWriteArrayList<>();
            c.groups[follower].addListener(followerViews::add);
            List<GroupView> joinerViews = new CopyOnWriteArrayList<>();
            String[] leaders = new String[2];

            try (ProposalLoad load = new ProposalLoad(c, "m", 32).start()) {
                load.awaitAcknowledged(300);

                // a replica started in joining mode neither elects itself nor disturbs the group
                c.start(3);
                RatisReplicaGroup joiner = c.groups[3];
                joiner.addListener(joinerViews::add);
                // (it runs no election timer: no campaign, no pre-vote, its term stays 0 and it learns of no leader)
                await().during(Duration.ofMillis(2500))
                        .atMost(Duration.ofSeconds(4))
                        .until(() -> !joiner.isLeader()
                                && joiner.term() == 0
                                && joiner.leaderId().isEmpty());
                assertThat(joiner.view().member()).isFalse();
                assertThat(joiner.peers()).isEmpty();
                assertThat(c.leaderNow()).as("the group still has a leader").isPresent();
                assertThat(joiner.changePeers(c.peers(0, 1, 2, 3)))
                        .as("only a member may ask")
                        .failsWithin(Duration.ofSeconds(1))
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOfSatisfying(
                                ReplicationException.class,
                                e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.FAILED));

                // a peer that does not answer: the change fails clearly and nothing changes
                Peer ghost = new Peer("ghost", "127.0.0.1", TestGroups.freePort());
                long start = System.nanoTime();
                assertThat(c.groups[follower].changePeers(plus(c.peers(0, 1, 2), ghost)))
                        .failsWithin(Duration.ofSeconds(30))
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOfSatisfying(UnreachablePeerException.class, e -> {
                            assertThat(e.reason()).isEqualTo(ReplicationException.Reason.FAILED);
                            assertThat(e.peerId()).isEqualTo("ghost");
                            assertThat(e.getMessage()).contains("did not respond");
                        });
                System.out.printf("unreachable peer rejected after %d ms%n", millisSince(start));
                assertThat(c.groups[leader].peers()).containsExactlyElementsOf(c.peers(0, 1, 2));

                // add the joiner, asked on a follower (forwarded to the leader)
                start = System.nanoTime();
                c.groups[follower].changePeers(c.peers(0, 1, 2, 3)).get(30, TimeUnit.SECONDS);
                System.out.printf("peer added in %d ms%n", millisSince(start));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> joiner.view().member() && joiner.peers().size() == 4);
                for (int i = 0; i < 4; i++) {
                    RatisReplicaGroup g = c.groups[i];
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> g.peers().equals(c.peers(0, 1, 2, 3))
                                    && g.leaderId().isPresent());
                }
                load.awaitAcknowledged(300);

                // remove the leader, asked on the new replica
                int oldLeader = c.awaitLeader();
                int[] rest = IntStream.range(0, 4).filter(i -> i != oldLeader).toArray();
                start = System.nanoTime();
                joiner.changePeers(c.peers(rest)).get(30, TimeUnit.SECONDS);
                System.out.printf("leader removed in %d ms%n", millisSince(start));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !c.groups[oldLeader].view().member() && !c.groups[oldLeader].isLeader());
                // Ratis shut the removed replica down by itself: its owner is told, the members are not
                await().atMost(Duration.ofSeconds(10)).until(c.groups[oldLeader]::stoppedByReplication);
                assertThat(IntStream.of(rest).mapToObj(i -> c.groups[i].stoppedByReplication()))
                        .containsOnly(false);
                assertThat(c.machines[oldLeader].roleChanges)
                        .last()
                        .satisfies(rc -> assertThat(rc.leader()).isFalse());
                assertThat(c.groups[oldLeader].propose(add("m", "x"))).failsWithin(Duration.ofSeconds(5));
                int newLeader = c.awaitLeader();
                assertThat(newLeader).isNotEqualTo(oldLeader);
                leaders[0] = c.id(oldLeader);
                leaders[1] = c.id(newLeader);
                assertThat(c.groups[newLeader].term()).isGreaterThan(termBefore);
                load.awaitAcknowledged(300);

                // remove a follower (keep the joiner): 3 -> 2
                int removed = IntStream.of(rest)
                        .filter(i -> i != newLeader && i != 3)
                        .findFirst()
                        .orElseThrow();
                int[] remaining = IntStream.of(rest).filter(i -> i != removed).toArray();
                c.groups[newLeader].changePeers(c.peers(remaining)).get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !c.groups[removed].view().member());
                load.awaitAcknowledged(300);
                load.stop();
                System.out.println("load during membership changes: " + load);

                for (int i : remaining) {
                    load.assertComplete(c.machines[i]);
                    assertThat(c.groups[i].peers()).containsExactlyElementsOf(c.peers(remaining));
                }
                int last = c.awaitLeader();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> c.machines[3].counters().equals(c.machines[last].counters()));
                System.out.printf(
                        "joiner: %d restores from a snapshot, %d commands applied of %d%n",
                        c.machines[3].restores.get(), c.machines[3].appliedCommands.get(), c.machines[last].idCount());
            }

            // what the listeners saw: membership 3 -> 4 -> 3 -> 2 and the leader change, terms never going back
            System.out.println("joiner's views: "
                    + joinerViews.stream()
                            .map(v -> v.version() + ":" + v.peers().size() + "/"
                                    + v.leaderId().orElse("-") + "/t" + v.term() + (v.member() ? "" : "/out"))
                            .toList());
            assertThat(distinctSizes(followerViews)).startsWith(3, 4);
            assertTermsNeverDecrease(followerViews);
            assertThat(distinctSizes(joinerViews)).startsWith(0).endsWith(4, 3, 2);
            assertThat(joinerViews.get(0).member()).isFalse();
            assertThat(joinerViews).extracting(v -> v.leaderId().orElse(null)).containsSubsequence(leaders);
            assertTermsNeverDecrease(joinerViews);
        }
    }

    private static List<Integer> distinctSizes(List<GroupView> views) {
        List<Integer> sizes = new ArrayList<>();
        for (GroupView v : views) {
            int n = v.peers().size();
            if (sizes.isEmpty() || sizes.get(sizes.size() - 1) != n) {
                sizes.add(n);
            }
        }
        return sizes;
    }

    /**
     * A change computed from a view that missed a change made meanwhile must not undo it: with the configuration it
     * was computed from, it is refused (Ratis's compare-and-set) and nothing changes; from the current one it goes.
     */
    @Test
    void aChangeComputedFromAStaleViewIsRefused() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, 1, b -> b)) {
            c.startAll();
            int leader = c.awaitLeader();
            int follower = (leader + 1) % 3;
            List<Peer> stale = c.peers(leader, follower); // as if the third peer's addition had not been seen
            assertThat(c.groups[follower].changePeers(stale, c.peers(leader)))
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(ReplicationException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ReplicationException.Reason.FAILED);
                        assertThat(e.getMessage()).contains("rejected");
                    });
            assertThat(c.groups[leader].peers()).containsExactlyElementsOf(c.peers(0, 1, 2));

            int third = 3 - leader - follower;
            c.groups[follower]
                    .changePeers(c.peers(0, 1, 2), c.peers(leader, follower))
                    .get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> c.groups[leader].peers().size() == 2
                            && !c.groups[leader].peers().contains(c.peers(third).get(0)));
        }
    }

    static void assertTermsNeverDecrease(List<GroupView> views) {
        for (int i = 1; i < views.size(); i++) {
            assertThat(views.get(i).version()).isGreaterThan(views.get(i - 1).version());
            assertThat(views.get(i).term())
                    .isGreaterThanOrEqualTo(views.get(i - 1).term());
        }
    }

    private static List<Peer> plus(List<Peer> peers, Peer extra) {
        List<Peer> all = new ArrayList<>(peers);
        all.add(extra);
        return all;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
