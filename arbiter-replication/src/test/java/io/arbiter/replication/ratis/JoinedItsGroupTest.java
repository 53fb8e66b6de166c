package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.ReplicaGroupConfig.Peer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joinedItsGroup} on a real Ratis group (loopback): a joining replica that the leader is catching up knows the
 * group's configuration without itself, like a removed replica, but it never joined; its owner must not take it for
 * removed and restart it (the catch-up would start over). Here the leader dies in the middle of the catch-up, which
 * leaves the joining replica in that state for good; founders have joined from the start, and an added replica once
 * it is a member.
 */
class JoinedItsGroupTest {

    private static final String PAYLOAD = "x".repeat(256 * 1024);

    @TempDir
    Path dir;

    @Test
    void aJoiningReplicaBeingCaughtUpHasNotJoinedItsGroup() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, 1, b -> b.maxCommandsPerEntry(1))) {
            c.startAll();
            int leader = c.awaitLeader();
            List<CompletableFuture<byte[]>> written = new ArrayList<>();
            for (int i = 0; i < 120; i++) { // so that catching a new replica up takes a while
                written.add(c.groups[leader].propose(add("k" + i, PAYLOAD + i)));
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            c.start(3);
            RatisReplicaGroup joiner = c.groups[3];
            assertThat(joiner.joinedItsGroup()).isFalse();

            CompletableFuture<Void> change = c.groups[leader].changePeers(c.peers(0, 1, 2, 3));
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> !joiner.peers().isEmpty());
            c.stop(leader); // in the middle of the catch-up

            assertThat(change).failsWithin(Duration.ofSeconds(30));
            int newLeader = c.awaitLeader();
            assertThat(c.groups[newLeader].peers()).doesNotContain(c.peers.get(3));
            Thread.sleep(3_000); // longer than an election timeout: nothing changes for the joining replica
            assertThat(joiner.peers())
                    .as("it knows the configuration, without itself")
                    .isNotEmpty()
                    .extracting(Peer::id)
                    .doesNotContain(c.id(3));
            assertThat(joiner.view().member()).isFalse();
            assertThat(joiner.stoppedByReplication()).isFalse();
            assertThat(joiner.joinedItsGroup()).as("on its way in, not removed").isFalse();
            for (int i = 0; i < 3; i++) {
                if (i != leader) {
                    assertThat(c.groups[i].joinedItsGroup()).as("a founder").isTrue();
                }
            }
        }
    }

    @Test
    void anAddedReplicaHasJoinedItsGroup() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3, 1, b -> b)) {
            c.startAll();
            int leader = c.awaitLeader();
            c.start(3);
            RatisReplicaGroup joiner = c.groups[3];
            assertThat(joiner.joinedItsGroup()).isFalse();
            c.groups[leader].changePeers(c.peers(0, 1, 2, 3)).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(joiner::joinedItsGroup);
            assertThat(joiner.view().member()).isTrue();
        }
    }
}
