package io.arbiter.replication.memory;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.GroupView;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InMemoryReplicaGroupTest {

    @Test
    void appliesInOrderOnOneThreadAndCompletesElsewhere() {
        CounterStateMachine sm = new CounterStateMachine();
        try (InMemoryReplicaGroup g = new InMemoryReplicaGroup("n1", sm)) {
            g.start();
            assertThat(g.isLeader()).isTrue();
            assertThat(g.leaderId()).contains("n1");
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            List<String> completedOn = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(g.propose(add("k", "id" + i)));
            }
            futures.get(99)
                    .thenRun(() -> completedOn.add(Thread.currentThread().getName()))
                    .join();
            for (int i = 0; i < 100; i++) {
                assertThat(new String(futures.get(i).join(), StandardCharsets.UTF_8))
                        .isEqualTo(Integer.toString(i + 1));
            }
            assertThat(g.lastIndex()).isEqualTo(100);
            assertThat(sm.distinctIndices).hasValue(100);
            assertThat(sm.applyThreads).containsExactly("arbiter-apply-memory-n1");
            assertThat(completedOn).noneMatch(n -> n.startsWith("arbiter-apply"));
            assertThat(sm.roleChanges).singleElement().satisfies(rc -> {
                assertThat(rc.leader()).isTrue();
                assertThat(rc.thread()).isEqualTo("arbiter-apply-memory-n1");
            });
        }
        assertThat(sm.roleChanges)
                .extracting(CounterStateMachine.RoleChange::leader)
                .containsExactly(true, false);
    }

    @Test
    void leadershipHooksAndFailures() {
        CounterStateMachine sm = new CounterStateMachine();
        try (InMemoryReplicaGroup g = new InMemoryReplicaGroup("n1", sm)) {
            assertThat(g.propose(add("k", "1")))
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            ReplicationException.class,
                            e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.CLOSED));
            g.start();
            g.stepDown("n2");
            assertThat(g.leaderId()).contains("n2");
            assertThat(g.propose(add("k", "1")))
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            NotLeaderException.class,
                            e -> assertThat(e.leaderHint()).contains("n2"));
            g.becomeLeader();
            assertThat(g.propose("bogus".getBytes()))
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            ReplicationException.class,
                            e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.FAILED));
            assertThat(g.propose(add("k", "1"))).succeedsWithin(Duration.ofSeconds(1));
            assertThat(sm.roleChanges)
                    .extracting(CounterStateMachine.RoleChange::term)
                    .containsExactly(1L, 1L, 2L);
        }
    }

    @Test
    void snapshotRoundTrip() {
        CounterStateMachine a = new CounterStateMachine();
        CounterStateMachine b = new CounterStateMachine();
        try (InMemoryReplicaGroup ga = new InMemoryReplicaGroup("a", a);
                InMemoryReplicaGroup gb = new InMemoryReplicaGroup("b", b)) {
            ga.start();
            gb.start();
            for (int i = 0; i < 10; i++) {
                ga.propose(add("k" + (i % 3), "id" + i)).join();
            }
            gb.restore(ga.snapshot());
            assertThat(b.counters()).isEqualTo(a.counters());
            assertThat(b.idCount()).isEqualTo(10);
        }
    }

    @Test
    void viewsListenersAndSimulatedMembership() {
        CounterStateMachine sm = new CounterStateMachine();
        Peer self = new Peer("n1", "10.0.0.1", 8091);
        Peer other = new Peer("n2", "10.0.0.2", 8091);
        List<GroupView> views = new CopyOnWriteArrayList<>();
        try (InMemoryReplicaGroup g = new InMemoryReplicaGroup(self, sm)) {
            g.addListener(views::add);
            g.start();
            assertThat(firstAfter(views, 0)).satisfies(v -> {
                assertThat(v.leader()).isTrue();
                assertThat(v.member()).isTrue();
                assertThat(v.leaderPeer()).contains(self);
                assertThat(v.term()).isEqualTo(1);
            });
            assertThat(g.peers()).containsExactly(self);
            assertThat(g.term()).isEqualTo(1);

            long before = g.view().version();
            assertThat(g.changePeers(List.of(self, other))).succeedsWithin(Duration.ofSeconds(1));
            assertThat(firstAfter(views, before).peers()).containsExactly(self, other);
            assertThat(g.transferLeadership(other.id())).succeedsWithin(Duration.ofSeconds(1));
            assertThat(g.isLeader()).isFalse();
            assertThat(g.leaderId()).contains("n2");
            assertThat(g.term()).isEqualTo(2);
            assertThat(g.transferLeadership("n9")).failsWithin(Duration.ofSeconds(1));
            assertThat(g.changePeers(List.of(self, self)))
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            ReplicationException.class,
                            e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.FAILED));
            assertThat(g.changePeers(List.of(other))).succeedsWithin(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> !g.view().member()); // removed: no longer a member
        }
        assertThat(views).extracting(GroupView::version).isSorted().doesNotHaveDuplicates();
        assertThat(views.get(0).version()).isZero();
        assertThat(views).last().satisfies(v -> assertThat(v.leader()).isFalse());
    }

    /** The first view a listener heard whose version is greater than {@code version} (waits for it). */
    private static GroupView firstAfter(List<GroupView> views, long version) {
        return await().atMost(Duration.ofSeconds(5))
                .until(() -> views.stream().filter(v -> v.version() > version).findFirst(), Optional::isPresent)
                .orElseThrow();
    }
}
