package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower that missed entries the leader has already purged catches up from the leader's snapshot. */
class InstallSnapshotTest {

    @TempDir
    Path dir;

    @Test
    void laggingFollowerInstallsTheLeadersSnapshot() throws Exception {
        try (TestCluster c = new TestCluster(
                dir,
                3,
                b -> b.maxCommandsPerEntry(8).snapshotThresholdEntries(50).logSegmentSizeBytes(64 << 10))) {
            c.startAll();
            int leader = c.awaitLeader();
            int lagging = (leader + 1) % 3;
            proposeAndWait(c.groups[leader], "warm", 100);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.machines[lagging].counter("warm") == 100);
            c.stop(lagging);

            // enough entries to close several 64 KiB segments, snapshot and purge them on the leader
            String padding = "p".repeat(200);
            for (int round = 0; round < 6; round++) {
                proposeAndWait(c.groups[leader], padding + round, 500);
            }
            awaitPublishedSnapshotAbove(c, leader, 300);

            c.start(lagging);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> c.machines[lagging].counters().equals(c.machines[leader].counters()));
            assertThat(c.machines[lagging].restores.get())
                    .as("state came from an installed snapshot")
                    .isPositive();
            assertThat(c.machines[lagging].appliedCommands.get())
                    .as("not a replay of the whole log")
                    .isLessThan(3100);
            assertThat(c.machines[lagging].duplicates).hasValue(0);
            assertThat(c.groups[lagging].propose(add("warm", "x"))).failsWithin(Duration.ofSeconds(5));
        }
    }

    /**
     * A new replica that joins after the leader purged its log starts from the leader's snapshot (installed, then
     * {@code reinitialize}) while proposals go on: Ratis applies only the entries after the snapshot's index to it
     * (none is applied again on top of the restored state), so it holds the same state as the others.
     */
    @Test
    void joiningReplicaAppliesOnlyEntriesAfterTheInstalledSnapshot() throws Exception {
        try (TestCluster c = new TestCluster(
                dir,
                3,
                1,
                b -> b.maxCommandsPerEntry(8).snapshotThresholdEntries(50).logSegmentSizeBytes(64 << 10))) {
            c.startAll();
            int leader = c.awaitLeader();
            String padding = "p".repeat(200);
            for (int round = 0; round < 6; round++) {
                proposeAndWait(c.groups[leader], padding + round, 500);
            }
            awaitPublishedSnapshotAbove(c, leader, 300);

            c.start(3);
            try (ProposalLoad load = new ProposalLoad(c, "j", 8).start()) {
                load.awaitAcknowledged(50);
                c.groups[leader].changePeers(c.peers(0, 1, 2, 3)).get(60, TimeUnit.SECONDS);
                load.awaitAcknowledged(200);
                load.stop();
                int now = c.awaitLeader();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> c.machines[3].counters().equals(c.machines[now].counters()));
                load.assertComplete(c.machines[3]);
            }
            CounterStateMachine joiner = c.machines[3];
            assertThat(joiner.restores.get())
                    .as("state came from an installed snapshot")
                    .isPositive();
            assertThat(joiner.appliedAtOrBelowRestore)
                    .as("entries the snapshot held, applied again")
                    .hasValue(0);
            assertThat(joiner.duplicates).hasValue(0);
            assertThat(joiner.overlappingCalls).hasValue(0);
        }
    }

    private static void proposeAndWait(RatisReplicaGroup g, String key, int n) {
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(g.propose(add(key, key.substring(Math.max(0, key.length() - 4)) + "-" + i)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
    }

    /**
     * Waits until the leader published a snapshot above {@code index}. A snapshot written after the last entry is
     * published at the next one (AsyncSnapshotter): one more entry now and then, so that an idle group publishes
     * what it wrote.
     */
    private static void awaitPublishedSnapshotAbove(TestCluster c, int leader, long index) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (c.groups[leader].latestSnapshotIndex() > index) {
                        return true;
                    }
                    proposeAndWait(c.groups[leader], "nudge", 1);
                    return false;
                });
    }
}
