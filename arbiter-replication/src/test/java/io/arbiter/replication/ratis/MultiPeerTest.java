package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.IndeterminateException;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three replicas on loopback in one JVM, with the reference election timeouts (1 s / 2 s). */
class MultiPeerTest {

    @TempDir
    Path dir;

    @Test
    void electsReplicatesRedirectsAndFailsOver() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, b -> b)) {
            c.startAll();
            int leader = c.awaitLeader();
            String leaderId = c.id(leader);

            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add(c.groups[leader].propose(add("k", "a" + i)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (CounterStateMachine m : c.machines) {
                await().atMost(Duration.ofSeconds(10)).until(() -> m.counter("k") == 300);
                assertThat(m.duplicates).hasValue(0);
            }

            int follower = (leader + 1) % 3;
            assertThat(c.groups[follower].isLeader()).isFalse();
            assertThat(c.groups[follower].leaderId()).contains(leaderId);
            assertThat(c.groups[follower].propose(add("k", "x")))
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            NotLeaderException.class,
                            e -> assertThat(e.leaderHint()).contains(leaderId));
            assertThat(c.machines[leader].roleChanges)
                    .extracting(CounterStateMachine.RoleChange::leader)
                    .containsExactly(true);
            assertThat(c.machines[follower].roleChanges).isEmpty();
            long firstTerm = c.machines[leader].roleChanges.get(0).term();

            // proposals in flight while the leader goes away: every future completes, and its outcome is truthful
            List<String> ids = new ArrayList<>();
            List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add("b" + i);
                inFlight.add(c.groups[leader].propose(add("k", "b" + i)));
                if (i == 99) {
                    await().atMost(Duration.ofSeconds(10)).until(inFlight.get(0)::isDone);
                }
            }
            c.stop(leader);
            assertThat(c.machines[leader].roleChanges)
                    .extracting(CounterStateMachine.RoleChange::leader)
                    .containsExactly(true, false);

            int next = c.awaitLeader();
            assertThat(next).isNotEqualTo(leader);
            CounterStateMachine survivor = c.machines[next];
            assertThat(survivor.roleChanges).last().satisfies(rc -> {
                assertThat(rc.leader()).isTrue();
                assertThat(rc.term()).isGreaterThan(firstTerm);
            });
            assertThat(c.groups[next].propose(add("k", "c0")).get(10, TimeUnit.SECONDS))
                    .isNotNull();
            int other = 3 - leader - next;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> c.machines[other].counters().equals(survivor.counters()));

            int applied = 0;
            java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
            for (int i = 0; i < inFlight.size(); i++) {
                String id = ids.get(i);
                Throwable error = outcome(inFlight.get(i));
                outcomes.merge(
                        error == null ? "ok" : error.getClass().getSimpleName() + "/" + survivor.hasId(id),
                        1,
                        Integer::sum);
                if (error == null) {
                    assertThat(survivor.hasId(id))
                            .as("acknowledged %s is applied", id)
                            .isTrue();
                    applied++;
                } else if (error instanceof IndeterminateException) {
                    continue; // either outcome is allowed
                } else {
                    assertThat(error).isInstanceOf(ReplicationException.class);
                    assertThat(survivor.hasId(id))
                            .as("%s failed with %s, so it must not be applied", id, error)
                            .isFalse();
                }
            }
            assertThat(survivor.duplicates).hasValue(0);
            System.out.println("in flight at failover: " + outcomes);
        }
    }

    /** Waits for {@code f} and returns its failure, or {@code null} on success. */
    private static Throwable outcome(CompletableFuture<byte[]> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
