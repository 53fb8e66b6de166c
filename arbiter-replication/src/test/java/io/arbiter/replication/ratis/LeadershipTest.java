package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.GroupView;
import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leadership on three real replicas with the reference timeouts: transfer, what listeners see, loss of majority. */
class LeadershipTest {

    @TempDir
    Path dir;

    @Test
    void transferLeadershipMovesTheLeaderAndEveryReplicaReportsIt() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, b -> b)) {
            c.startAll();
            int leader = c.awaitLeader();
            int target = (leader + 1) % 3;
            int other = (leader + 2) % 3;
            long firstTerm = c.groups[leader].term();
            List<List<GroupView>> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RatisReplicaGroup g = c.groups[i];
                // followers know who leads and in which term
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> g.view().leaderId().equals(java.util.Optional.of(c.id(leader)))
                                && g.view().term() == firstTerm);
                assertThat(g.leaderId()).contains(c.id(leader));
                assertThat(g.term()).isEqualTo(firstTerm);
                assertThat(g.view().leaderPeer()).contains(c.peers.get(leader));
                assertThat(g.view().member()).isTrue();
                assertThat(g.view().leader()).isEqualTo(i == leader);
                List<GroupView> views = new CopyOnWriteArrayList<>();
                g.addListener(views::add);
                seen.add(views);
            }
            long version = c.groups[other].view().version();
            assertThat(seen.get(other)).noneMatch(v -> v.version() > version);

            // asked on a follower: forwarded to the leader
            long start = System.nanoTime();
            c.groups[other].transferLeadership(c.id(target)).get(20, TimeUnit.SECONDS);
            System.out.printf(
                    "leadership transferred in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            await().atMost(Duration.ofSeconds(5)).until(c.groups[target]::isLeader);
            assertThat(c.groups[leader].isLeader()).isFalse();
            long newTerm = c.groups[target].term();
            assertThat(newTerm).isGreaterThan(firstTerm);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> seen.get(other).stream().anyMatch(v -> v.version() > version));
            for (int i = 0; i < 3; i++) {
                RatisReplicaGroup g = c.groups[i];
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> g.view().leaderId().orElse("").equals(c.id(target))
                                && g.view().term() == newTerm);
                List<GroupView> views = seen.get(i);
                MembershipTest.assertTermsNeverDecrease(views);
                assertThat(views)
                        .extracting(v -> v.leaderId().orElse(null))
                        .containsSubsequence(c.id(leader), c.id(target));
                assertThat(views).allSatisfy(v -> assertThat(v.peers()).containsExactlyElementsOf(c.peers));
            }
            assertThat(c.machines[leader].roleChanges)
                    .extracting(CounterStateMachine.RoleChange::leader)
                    .containsSubsequence(true, false)
                    .last()
                    .isEqualTo(false);
            assertThat(c.machines[target].roleChanges).last().satisfies(rc -> {
                assertThat(rc.leader()).isTrue();
                assertThat(rc.term()).isEqualTo(newTerm);
            });
            assertThat(c.groups[target].propose(add("k", "after-transfer"))).succeedsWithin(Duration.ofSeconds(10));

            // to the leader itself: nothing to do; to a stranger: rejected
            c.groups[target].transferLeadership(c.id(target)).get(5, TimeUnit.SECONDS);
            assertThat(c.groups[leader].transferLeadership("stranger"))
                    .failsWithin(Duration.ofSeconds(10))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            ReplicationException.class,
                            e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.FAILED));
            assertThat(c.groups[target].isLeader()).isTrue();
        }
    }

    @Test
    void aLeaderCutOffFromTheMajorityStopsAcknowledgingWithinSeconds() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, b -> b)) {
            c.startAll();
            int leader = c.awaitLeader();
            RatisReplicaGroup g = c.groups[leader];
            List<CompletableFuture<byte[]>> warmUp = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                warmUp.add(g.propose(add("k", "w" + i)));
            }
            CompletableFuture.allOf(warmUp.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            // the two followers go away: the leader is a minority of one
            c.stop((leader + 1) % 3);
            c.stop((leader + 2) % 3);
            long cut = System.nanoTime();
            List<CompletableFuture<byte[]>> after = new ArrayList<>();
            long firstFailure = -1;
            long steppedDown = -1;
            while (System.nanoTime() - cut < TimeUnit.SECONDS.toNanos(12) && (firstFailure < 0 || steppedDown < 0)) {
                after.add(g.propose(add("k", "a" + after.size())));
                if (firstFailure < 0 && after.stream().anyMatch(CompletableFuture::isCompletedExceptionally)) {
                    firstFailure = System.nanoTime() - cut;
                }
                if (steppedDown < 0 && !g.isLeader()) {
                    steppedDown = System.nanoTime() - cut;
                }
                Thread.sleep(20);
            }
            assertThat(steppedDown).as("the cut-off leader stepped down").isPositive();
            assertThat(firstFailure).as("a proposal failed").isPositive();
            // every proposal made after the cut completes, and none succeeds: there is no majority to commit it
            CompletableFuture.allOf(
                            after.stream().map(f -> f.handle((r, e) -> null)).toArray(CompletableFuture[]::new))
                    .get(15, TimeUnit.SECONDS);
            Map<String, Integer> outcomes = new TreeMap<>();
            for (CompletableFuture<byte[]> f : after) {
                Throwable e = f.handle((r, error) -> error).join();
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                assertThat(cause).isInstanceOfAny(NotLeaderException.class, IndeterminateException.class);
                outcomes.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
            }
            long allDone = System.nanoTime() - cut;
            System.out.printf(
                    "cut-off leader: first failure after %d ms, stepped down after %d ms, all %d proposals "
                            + "failed after %d ms: %s%n",
                    TimeUnit.NANOSECONDS.toMillis(firstFailure),
                    TimeUnit.NANOSECONDS.toMillis(steppedDown),
                    after.size(),
                    TimeUnit.NANOSECONDS.toMillis(allDone),
                    outcomes);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(steppedDown)).isLessThan(8);
            assertThat(g.propose(add("k", "late")))
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(NotLeaderException.class);
            assertThat(c.machines[leader].roleChanges)
                    .last()
                    .satisfies(rc -> assertThat(rc.leader()).isFalse());
        }
    }
}
