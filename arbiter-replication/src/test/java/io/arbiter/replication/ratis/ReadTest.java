package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static io.arbiter.replication.CounterStateMachine.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linearizable reads without log entries ({@code ReplicaGroup#query}) on three real replicas: a read asked after a
 * write completed sees it, on the leader and, after the leader stops, on the next one; reads add no entry; a
 * follower refuses and names the leader; reads and applies never overlap in the state machine.
 */
class ReadTest {

    @TempDir
    Path dir;

    @Test
    void aReadSeesEveryWriteThatCompletedBeforeItAndWritesNothing() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, b -> b)) {
            c.startAll();
            int leader = c.awaitLeader();
            RatisReplicaGroup g = c.groups[leader];
            for (int i = 1; i <= 100; i++) {
                long written = value(g.propose(add("c", "w" + i)));
                assertThat(value(g.query(get("c"))))
                        .as("read after write %d", i)
                        .isEqualTo(written);
            }
            CounterStateMachine sm = c.machines[leader];
            long entries = sm.distinctIndices.get();
            for (int i = 0; i < 200; i++) {
                assertThat(value(g.query(get("c")))).isEqualTo(100);
            }
            assertThat(sm.distinctIndices.get())
                    .as("log entries made by 200 reads")
                    .isEqualTo(entries);
            assertThat(sm.queries.get()).isEqualTo(300);
            assertThat(value(g.query(get("never-written")))).isZero();
        }
    }

    @Test
    void readsAndWritesAtOnceNeverOverlapAndNeverGoBack() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, b -> b)) {
            c.startAll();
            int leader = c.awaitLeader();
            RatisReplicaGroup g = c.groups[leader];
            AtomicInteger wentBack = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(pool.submit(() -> {
                    long seen = 0;
                    for (int i = 0; i < 150; i++) {
                        long written = value(g.propose(add("c", thread + "-" + i)));
                        long read = value(g.query(get("c")));
                        if (read < written || read < seen) {
                            wentBack.incrementAndGet();
                        }
                        seen = read;
                    }
                    return null;
                }));
            }
            for (Future<?> t : threads) {
                t.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(wentBack).hasValue(0);
            assertThat(value(g.query(get("c")))).isEqualTo(600);
            assertThat(c.machines[leader].overlappingCalls).hasValue(0);
        }
    }

    @Test
    void aFollowerRefusesAReadAndTheNextLeaderSeesEveryAcknowledgedWrite() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, b -> b)) {
            c.startAll();
            int leader = c.awaitLeader();
            int follower = (leader + 1) % 3;
            for (int i = 1; i <= 50; i++) {
                c.groups[leader].propose(add("c", "w" + i)).get(10, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> c.groups[follower].query(get("c")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            NotLeaderException.class,
                            e -> assertThat(e.leaderHint()).contains(c.id(leader)));

            c.stop(leader);
            int next = c.awaitLeader();
            assertThat(next).isNotEqualTo(leader);
            assertThat(value(c.groups[next].query(get("c")))).isEqualTo(50);
            assertThatThrownBy(() -> c.groups[leader].query(get("c")).get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(ReplicationException.class);
        }
    }

    private static long value(CompletableFuture<byte[]> answer) throws Exception {
        return Long.parseLong(new String(answer.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }
}
