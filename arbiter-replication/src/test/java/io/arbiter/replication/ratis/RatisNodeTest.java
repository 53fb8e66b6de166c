package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.ReplicaGroupConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several Raft groups of 3 replicas on three {@link RatisNode}s (one Ratis server each, loopback, reference
 * timeouts 1 s / 2 s): independent elections and state machines, leadership transfer of one group, node restart,
 * a replica added through a snapshot and removed again, and storage written by a single-group replica.
 */
class RatisNodeTest {

    private static final int GROUPS = 4;

    @TempDir
    Path dir;

    @Test
    void groupsRunIndependentlyAndSurviveARestart() throws Exception {
        try (TestNodes t = new TestNodes(dir, 3, b -> b)) {
            t.startAll();
            AtomicInteger groupEvents = new AtomicInteger();
            t.nodes[0].addGroupsListener(groupEvents::incrementAndGet);
            List<UUID> ids = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                ids.add(TestNodes.groupId(g));
                t.addGroup(ids.get(g), 0, 1, 2);
            }
            assertThat(t.nodes[1].groupIds()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(t.nodes[1].addGroup(ids.get(0), t.peers(0, 1, 2), false).get(5, TimeUnit.SECONDS))
                    .as("adding a running group returns it")
                    .isSameAs(t.group(1, ids.get(0)));
            Map<UUID, Integer> leaders = new HashMap<>();
            for (UUID id : ids) {
                leaders.put(id, t.awaitLeader(id, 0, 1, 2));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> groupEvents.get() >= GROUPS);

            // proposals to each group apply to that group's state machines only
            for (int g = 0; g < GROUPS; g++) {
                UUID id = ids.get(g);
                List<CompletableFuture<byte[]>> done = new ArrayList<>();
                for (int i = 0; i <= g; i++) {
                    done.add(t.group(leaders.get(id), id).propose(add("k" + g, g + "-" + i)));
                }
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            }
            for (int g = 0; g < GROUPS; g++) {
                for (int n = 0; n < 3; n++) {
                    CounterStateMachine m = t.machine(n, ids.get(g));
                    String key = "k" + g;
                    long expected = g + 1;
                    await().atMost(Duration.ofSeconds(10)).until(() -> m.counter(key) == expected);
                    assertThat(m.counters()).containsOnlyKeys(key);
                }
            }

            // moving the leadership of one group leaves the others alone
            UUID moved = ids.get(0);
            int from = leaders.get(moved);
            int to = (from + 1) % 3;
            Map<UUID, Long> terms = new HashMap<>();
            ids.forEach(id -> terms.put(id, t.group(0, id).term()));
            t.group(from, moved).transferLeadership(t.peers.get(to).id()).get(20, TimeUnit.SECONDS);
            assertThat(t.awaitLeader(moved, 0, 1, 2)).isEqualTo(to);
            for (UUID id : ids.subList(1, GROUPS)) {
                assertThat(t.group(leaders.get(id), id).isLeader())
                        .as("leader of " + id)
                        .isTrue();
                assertThat(t.group(0, id).term()).as("term of " + id).isEqualTo(terms.get(id));
            }

            // a restarted node recovers every group (snapshot, if any, and log) and rejoins them
            int restarted = 2;
            t.stop(restarted);
            t.start(restarted);
            assertThat(t.nodes[restarted].groupIds()).containsExactlyInAnyOrderElementsOf(ids);
            for (int g = 0; g < GROUPS; g++) {
                UUID id = ids.get(g);
                CounterStateMachine m = t.machine(restarted, id);
                String key = "k" + g;
                long expected = g + 1;
                await().atMost(Duration.ofSeconds(15)).until(() -> m.counter(key) == expected);
                int leader = t.awaitLeader(id, 0, 1, 2);
                assertThat(t.group(leader, id)
                                .propose(add(key, "after-restart"))
                                .get(10, TimeUnit.SECONDS))
                        .isNotNull();
                await().atMost(Duration.ofSeconds(10)).until(() -> m.counter(key) == expected + 1);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> t.group(restarted, id).view().leaderId().isPresent());
            }
        }
    }

    @Test
    void addsAReplicaThroughASnapshotAndRemovesIt() throws Exception {
        try (TestNodes t = new TestNodes(dir, 3, b -> b.snapshotThresholdEntries(20))) {
            t.startAll();
            UUID other = TestNodes.groupId(0);
            UUID grown = TestNodes.groupId(1);
            t.addGroup(other, 0, 1, 2);
            t.addGroup(grown, 0, 1);
            int leader = t.awaitLeader(grown, 0, 1);
            for (int i = 0; i < 100; i++) { // one entry each: the log is purged up to a snapshot along the way
                t.group(leader, grown).propose(add("g", "c" + i)).get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> t.group(leader, grown).latestSnapshotIndex() > 20);
            t.group(leader, grown).requestSnapshot();

            RatisReplicaGroup joiner =
                    t.nodes[2].addGroup(grown, t.peers(0, 1), true).get(30, TimeUnit.SECONDS);
            assertThat(joiner.view().member()).isFalse();
            t.group(leader, grown).changePeers(t.peers(0, 1, 2)).get(30, TimeUnit.SECONDS);
            CounterStateMachine m = t.machine(2, grown);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> m.counter("g") == 100 && joiner.view().member());
            assertThat(m.restores).as("caught up through a snapshot").hasValueGreaterThanOrEqualTo(1);
            assertThat(m.appliedCommands.get())
                    .as("commands applied from the log")
                    .isLessThan(100);
            assertThat(t.machine(2, other).counters()).isEmpty();

            // remove it again: out of the configuration, then off the node with its data
            int current = t.awaitLeader(grown, 0, 1, 2);
            int keeper = current == 2 ? 0 : current;
            if (current == 2) {
                t.group(2, grown).transferLeadership(t.peers.get(0).id()).get(20, TimeUnit.SECONDS);
            }
            t.group(keeper, grown).changePeers(t.peers(0, 1)).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> !joiner.view().member());
            Path folder = t.settings(2).storageDir().resolve(grown.toString());
            assertThat(folder).exists();
            t.nodes[2].removeGroup(grown, true).get(20, TimeUnit.SECONDS);
            assertThat(t.nodes[2].groupIds()).containsExactly(other);
            assertThat(folder).doesNotExist();
            assertThat(joiner.propose(add("g", "late"))).failsWithin(Duration.ofSeconds(5));
            assertThat(t.group(t.awaitLeader(grown, 0, 1), grown)
                            .propose(add("g", "still"))
                            .get(10, TimeUnit.SECONDS))
                    .isNotNull();
            assertThat(t.group(2, other).view().member())
                    .as("the other group is untouched")
                    .isTrue();

            // and back at once (a drain undone): a new joining replica on the same node, added by the group
            RatisReplicaGroup again =
                    t.nodes[2].addGroup(grown, t.peers(0, 1), true).get(30, TimeUnit.SECONDS);
            int now = t.awaitLeader(grown, 0, 1);
            t.group(now, grown).changePeers(t.peers(0, 1, 2)).get(30, TimeUnit.SECONDS);
            t.group(now, grown).propose(add("g", "back")).get(10, TimeUnit.SECONDS);
            CounterStateMachine leaderMachine = t.machine(now, grown);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> again.view().member() && m.counter("g") == leaderMachine.counter("g"));
        }
    }

    @Test
    void startsAGroupWrittenByASingleGroupReplica() throws Exception {
        int port = TestGroups.freePort();
        ReplicaGroupConfig config = TestGroups.single(dir, port).build();
        CounterStateMachine before = new CounterStateMachine();
        try (RatisReplicaGroup single = new RatisReplicaGroup(config, before)) {
            single.start();
            await().atMost(Duration.ofSeconds(10)).until(single::isLeader);
            for (int i = 0; i < 5; i++) {
                single.propose(add("s", "s" + i)).get(10, TimeUnit.SECONDS);
            }
        }
        CounterStateMachine after = new CounterStateMachine();
        try (RatisNode node = new RatisNode(config, id -> after)) {
            node.start();
            assertThat(node.groupIds()).containsExactly(TestGroups.GROUP);
            RatisReplicaGroup g = node.group(TestGroups.GROUP).orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(g::isLeader);
            assertThat(after.counter("s")).isEqualTo(5);
            assertThat(g.propose(add("s", "s5")).get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(Set.copyOf(List.of(
                            Files.list(dir).map(p -> p.getFileName().toString()).toArray())))
                    .contains(TestGroups.GROUP.toString());
        }
    }
}
