package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static io.arbiter.replication.ratis.TestGroups.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One replica on real Ratis, real files. */
class RatisReplicaGroupTest {

    @TempDir
    Path dir;

    private final List<RatisReplicaGroup> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(RatisReplicaGroup::close);
    }

    private RatisReplicaGroup start(ReplicaGroupConfig config, CounterStateMachine sm) throws Exception {
        RatisReplicaGroup g = new RatisReplicaGroup(config, sm);
        open.add(g);
        g.start();
        await().atMost(Duration.ofSeconds(10)).until(g::isLeader);
        return g;
    }

    private static List<CompletableFuture<byte[]>> proposeAll(RatisReplicaGroup g, String key, int from, int to) {
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = from; i < to; i++) {
            futures.add(g.propose(add(key, key + i)));
        }
        return futures;
    }

    private static void joinAll(List<CompletableFuture<byte[]>> futures) {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
    }

    @Test
    void concurrentProposalsGetTheirOwnResultsAndAreBatched() throws Exception {
        CounterStateMachine sm = new CounterStateMachine();
        RatisReplicaGroup g =
                start(TestGroups.single(dir, TestGroups.freePort()).build(), sm);
        int threads = 4;
        int perThread = 1000;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<List<CompletableFuture<byte[]>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            submitted.add(CompletableFuture.supplyAsync(
                    () -> {
                        List<CompletableFuture<byte[]>> mine = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            mine.add(g.propose(add("k", thread + "-" + i)));
                        }
                        return mine;
                    },
                    pool));
        }
        List<Long> results = new ArrayList<>();
        for (var s : submitted) {
            List<CompletableFuture<byte[]>> mine = s.get(30, TimeUnit.SECONDS);
            joinAll(mine);
            long previous = 0;
            for (var f : mine) {
                long value = Long.parseLong(text(f.join()));
                assertThat(value)
                        .as("one proposer's commands apply in its order")
                        .isGreaterThan(previous);
                previous = value;
                results.add(value);
            }
        }
        pool.shutdown();
        long millis = (System.nanoTime() - start) / 1_000_000;

        int total = threads * perThread;
        System.out.printf("%d commands in %d entries, %d ms (cold JVM)%n", total, sm.distinctIndices.get(), millis);
        assertThat(results)
                .as("each command saw its own increment")
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(sm.counter("k")).isEqualTo(total);
        assertThat(sm.duplicates).hasValue(0);
        assertThat(sm.distinctIndices.get()).as("entries").isLessThan(total / 4);
        assertThat(sm.overlappingCalls)
                .as("calls into the state machine overlapping another")
                .hasValue(0);
        assertThat(sm.applyThreads)
                .as("entries are applied on Ratis's updater thread or, queued, on ours")
                .allMatch(n ->
                        (n.startsWith("arbiter-") && n.contains("-worker-")) || n.endsWith("-StateMachineUpdater"));
        assertThat(sm.roleChanges)
                .singleElement()
                .satisfies(rc -> assertThat(rc.leader()).isTrue());
    }

    @Test
    void restartWithoutSnapshotReplaysTheLog() throws Exception {
        ReplicaGroupConfig config =
                TestGroups.single(dir, TestGroups.freePort()).build();
        CounterStateMachine first = new CounterStateMachine();
        RatisReplicaGroup g = start(config, first);
        joinAll(proposeAll(g, "a", 0, 300));
        joinAll(proposeAll(g, "b", 0, 200));
        g.close();
        assertThat(first.roleChanges)
                .extracting(CounterStateMachine.RoleChange::leader)
                .containsExactly(true, false);

        CounterStateMachine second = new CounterStateMachine();
        RatisReplicaGroup again = start(config, second);
        assertThat(second.restores).hasValue(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.appliedCommands.get() == 500);
        assertThat(second.counters())
                .isEqualTo(first.counters())
                .containsEntry("a", 300L)
                .containsEntry("b", 200L);
        assertThat(text(again.propose(add("a", "next")).get(10, TimeUnit.SECONDS)))
                .isEqualTo("301");
    }

    @Test
    void restartRestoresTheSnapshotThenReplaysOnlyLaterEntries() throws Exception {
        ReplicaGroupConfig config =
                TestGroups.single(dir, TestGroups.freePort()).build();
        CounterStateMachine first = new CounterStateMachine();
        RatisReplicaGroup g = start(config, first);
        joinAll(proposeAll(g, "a", 0, 300));
        long snapshotIndex = awaitSnapshot(g, first);
        joinAll(proposeAll(g, "a", 300, 400));
        joinAll(proposeAll(g, "b", 0, 100));
        g.close();

        CounterStateMachine second = new CounterStateMachine();
        RatisReplicaGroup again = start(config, second);
        assertThat(second.restores).hasValue(1);
        // the snapshot's log index may be past the last command's (Raft metadata entries); nothing after it is lost:
        assertThat(second.restoredIndex.get()).isLessThanOrEqualTo(snapshotIndex);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.counters().equals(first.counters()));
        assertThat(second.appliedCommands)
                .as("only commands after the snapshot are replayed")
                .hasValue(200);
        assertThat(second.idCount()).isEqualTo(500);
        assertThat(text(again.propose(add("b", "next")).get(10, TimeUnit.SECONDS)))
                .isEqualTo("101");
    }

    @Test
    void restartAfterSnapshotWithNothingAfterIt() throws Exception {
        ReplicaGroupConfig config =
                TestGroups.single(dir, TestGroups.freePort()).build();
        CounterStateMachine first = new CounterStateMachine();
        RatisReplicaGroup g = start(config, first);
        joinAll(proposeAll(g, "a", 0, 50));
        awaitSnapshot(g, first);
        g.close();

        CounterStateMachine second = new CounterStateMachine();
        start(config, second);
        assertThat(second.restores).hasValue(1);
        assertThat(second.counters()).isEqualTo(first.counters());
        assertThat(second.appliedCommands).hasValue(0);
    }

    /** Requests a snapshot of everything applied so far and waits until Ratis has it (published). */
    private static long awaitSnapshot(RatisReplicaGroup g, CounterStateMachine sm) {
        int written = sm.snapshotsWritten.get();
        g.requestSnapshot();
        await().atMost(Duration.ofSeconds(10)).until(() -> sm.snapshotsWritten.get() > written);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            g.requestSnapshot(); // publication happens on the next snapshot call after the write
            return g.latestSnapshotIndex() >= 0;
        });
        return g.latestSnapshotIndex();
    }

    @Test
    void snapshotsWhileProposingLoseAndDuplicateNothing() throws Exception {
        ReplicaGroupConfig config = TestGroups.single(dir, TestGroups.freePort())
                .maxCommandsPerEntry(4)
                .snapshotThresholdEntries(40)
                .build();
        CounterStateMachine first = new CounterStateMachine();
        CountDownLatch gate = new CountDownLatch(1);
        first.writerGate = gate;
        RatisReplicaGroup g = start(config, first);

        // the first snapshot's writer is held: applying must go on meanwhile
        joinAll(proposeAll(g, "a", 0, 400));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.distinctIndices.get() > 40);
        List<CompletableFuture<byte[]>> whileWriting = proposeAll(g, "a", 400, 800);
        joinAll(whileWriting);
        assertThat(first.snapshotsWritten)
                .as("the held writer has not finished")
                .hasValue(0);
        first.writerGate = null;
        gate.countDown();

        int threads = 4;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String key = "t" + t;
            done.add(CompletableFuture.runAsync(() -> joinAll(proposeAll(g, key, 0, perThread)), pool));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        pool.shutdown();

        int total = 800 + threads * perThread;
        assertThat(first.appliedCommands).hasValue(total);
        assertThat(first.duplicates).hasValue(0);
        assertThat(first.snapshotsWritten.get())
                .as("snapshots taken under load")
                .isGreaterThanOrEqualTo(3);
        assertThat(g.latestSnapshotIndex()).isPositive();
        g.close();

        CounterStateMachine second = new CounterStateMachine();
        start(config, second);
        assertThat(second.restores).hasValue(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.idCount() == total);
        assertThat(second.counters()).isEqualTo(first.counters());
        assertThat(second.duplicates).hasValue(0);
        assertThat(second.appliedCommands.get())
                .as("replayed after the snapshot")
                .isLessThan(total);
    }

    @Test
    void proposalsFailWithClosedOutsideTheLifecycle() throws Exception {
        RatisReplicaGroup g = new RatisReplicaGroup(
                TestGroups.single(dir, TestGroups.freePort()).build(), new CounterStateMachine());
        open.add(g);
        assertThat(g.propose(add("a", "1")))
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        ReplicationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.CLOSED));
        g.start();
        await().atMost(Duration.ofSeconds(10)).until(g::isLeader);
        assertThat(g.leaderId()).contains("n1");
        g.close();
        assertThat(g.isLeader()).isFalse();
        assertThat(g.propose(add("a", "2")))
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        ReplicationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.CLOSED));
    }

    @Test
    void aThrowingCommandFailsAloneAndTheReplicaGoesOn() throws Exception {
        CounterStateMachine sm = new CounterStateMachine();
        RatisReplicaGroup g =
                start(TestGroups.single(dir, TestGroups.freePort()).build(), sm);
        CompletableFuture<byte[]> bad = g.propose("bogus".getBytes());
        CompletableFuture<byte[]> good = g.propose(add("a", "1"));
        assertThat(bad)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        ReplicationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReplicationException.Reason.FAILED));
        assertThat(text(good.get(10, TimeUnit.SECONDS))).isEqualTo("1");
    }

    @Test
    void periodicTimerTakesAndPublishesSnapshots() throws Exception {
        CounterStateMachine sm = new CounterStateMachine();
        RatisReplicaGroup g = start(
                TestGroups.single(dir, TestGroups.freePort())
                        .snapshotInterval(Duration.ofMillis(200))
                        .build(),
                sm);
        joinAll(proposeAll(g, "a", 0, 20));
        await().atMost(Duration.ofSeconds(10)).until(() -> g.latestSnapshotIndex() > 0);
        assertThat(sm.snapshotsWritten.get()).isPositive();
    }

    @Test
    void aFailingSnapshotCaptureDoesNotStopTheReplica() throws Exception {
        CounterStateMachine sm = new CounterStateMachine();
        sm.failCapture = true;
        RatisReplicaGroup g =
                start(TestGroups.single(dir, TestGroups.freePort()).build(), sm);
        joinAll(proposeAll(g, "a", 0, 20));
        g.requestSnapshot();
        await().atMost(Duration.ofSeconds(10)).until(() -> sm.captures.get() > 0);
        joinAll(proposeAll(g, "a", 20, 40));
        assertThat(g.isLeader()).isTrue();
        assertThat(sm.counter("a")).isEqualTo(40);
        assertThat(g.latestSnapshotIndex()).isEqualTo(-1);
    }
}
