package io.arbiter.replication.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.ReplicaGroupConfig.Peer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joinedItsGroup}: a joining replica that the leader is catching up knows the group's configuration without
 * itself, like a removed replica, but it never joined; its owner must not take it for removed and restart it (the
 * catch-up would start over). The tracker's reading of a division (a stand-in here, as Ratis shows it during a
 * catch-up), and an add on a real Ratis group (loopback).
 */
class JoinedItsGroupTest {

    @TempDir
    Path dir;

    @Test
    void aJoiningReplicaThatKnowsTheConfigurationWithoutItselfHasNotJoined() {
        // what a joining replica sees while the leader catches it up: the group's committed configuration, alive,
        // without itself in it — like a removed replica, but it never was a member
        GroupViewTracker joiner = new GroupViewTracker("n4", List.of(), Runnable::run);
        joiner.refresh(division(true, 5, 7, "n1", "n2", "n3"), true);
        assertThat(joiner.current().peers()).extracting(Peer::id).containsExactly("n1", "n2", "n3");
        assertThat(joiner.current().member()).isFalse();
        assertThat(joiner.joined()).isFalse();

        joiner.refresh(division(true, 9, 9, "n1", "n2", "n3", "n4"), true); // added
        assertThat(joiner.joined()).isTrue();
        joiner.refresh(division(false, 12, 12, "n1", "n2", "n3"), true); // removed later: Ratis shut it down
        assertThat(joiner.current().member()).isFalse();
        assertThat(joiner.joined()).as("it was a member once").isTrue();

        GroupViewTracker founder = new GroupViewTracker("n1", List.of(), Runnable::run);
        founder.refresh(division(true, 0, 0, "n1", "n2", "n3"), true);
        assertThat(founder.joined()).isTrue();
    }

    /** A Ratis division as the tracker reads it: alive or not, a configuration at an index, a commit index. */
    private static RaftServer.Division division(boolean alive, long confIndex, long committed, String... peers) {
        List<RaftPeer> current = java.util.Arrays.stream(peers)
                .map(id -> RaftPeer.newBuilder()
                        .setId(id)
                        .setAddress("127.0.0.1:1")
                        .build())
                .toList();
        RaftConfiguration conf = stub(RaftConfiguration.class, (m, a) -> switch (m) {
            case "getCurrentPeers" -> current;
            case "getPreviousPeers" -> List.of();
            case "getLogEntryIndex" -> confIndex;
            default -> null;
        });
        DivisionInfo info = stub(DivisionInfo.class, (m, a) -> switch (m) {
            case "isAlive" -> alive;
            case "isLeader", "isLeaderReady" -> false;
            case "getLeaderId" -> RaftPeerId.valueOf("n1");
            case "getCurrentTerm" -> 3L;
            default -> null;
        });
        RaftLog log = stub(RaftLog.class, (m, a) -> m.equals("getLastCommittedIndex") ? committed : null);
        return stub(RaftServer.Division.class, (m, a) -> switch (m) {
            case "getInfo" -> info;
            case "getRaftConf" -> conf;
            case "getRaftLog" -> log;
            default -> null;
        });
    }

    private static <T> T stub(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (self, method, args) -> answer.apply(method.getName(), args)));
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
