package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.server.cluster.ClusterMember;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderChoiceTest {
    static final ClusterMember A = ClusterEndpointTest.A;
    static final ClusterMember B = ClusterEndpointTest.B;
    static final ClusterMember C = ClusterEndpointTest.C;
    static final ClusterMember OUTSIDER = new ClusterMember("x", "10.0.0.9", 8091, 7091, 9091);

    private final FakeCluster cluster = new FakeCluster("default", List.of(A, B, C), 1); // raft leader A

    @Test
    void selfNamesTheAnsweringNodeAndFallsBackWhenItIsNotAMember() throws Exception {
        InetAddress client = InetAddress.getByName("192.168.1.10");
        assertThat(LeaderChoice.SELF.choose(cluster.view(B), cluster.members(), client))
                .isEqualTo(B);
        assertThat(LeaderChoice.SELF.choose(cluster.view(OUTSIDER), cluster.members(), client))
                .isEqualTo(A);
    }

    @Test
    void raftLeaderFallsBackToSelfWhenNoLeaderIsKnown() throws Exception {
        assertThat(LeaderChoice.RAFT_LEADER.choose(cluster.view(C), cluster.members(), null))
                .isEqualTo(A);
        FakeCluster leaderless = new FakeCluster("default", List.of(A, B, C), 1);
        leaderless.change(List.of(A, B, C), null);
        assertThat(LeaderChoice.RAFT_LEADER.choose(leaderless.view(C), leaderless.members(), null))
                .isEqualTo(C);
    }

    @Test
    void clientAddressIsStableAcrossNodesAndSpreadsClients() throws Exception {
        Map<String, Integer> perMember = new HashMap<>();
        for (int i = 1; i <= 300; i++) {
            InetAddress client = InetAddress.getByName("10.1." + (i / 250) + "." + (i % 250));
            ClusterMember chosen = LeaderChoice.CLIENT_ADDRESS.choose(cluster.view(A), cluster.members(), client);
            assertThat(LeaderChoice.CLIENT_ADDRESS.choose(cluster.view(B), cluster.members(), client))
                    .isEqualTo(chosen);
            perMember.merge(chosen.id(), 1, Integer::sum);
        }
        assertThat(perMember).hasSize(3);
        assertThat(perMember.values()).allMatch(n -> n > 60);
    }

    @Test
    void clientAddressMovesOnlyTheClientsOfARemovedMember() throws Exception {
        for (int i = 1; i <= 100; i++) {
            InetAddress client = InetAddress.getByName("172.16.0." + i);
            ClusterMember before = LeaderChoice.CLIENT_ADDRESS.choose(cluster.view(A), List.of(A, B, C), client);
            ClusterMember after = LeaderChoice.CLIENT_ADDRESS.choose(cluster.view(A), List.of(A, B), client);
            if (!before.equals(C)) {
                assertThat(after).isEqualTo(before);
            }
        }
    }

    @Test
    void clientAddressAndRaftLeaderSkipMembersThisNodeCannotReach() throws Exception {
        cluster.reachable(C.id(), false);
        cluster.reachable(A.id(), false);
        for (int i = 1; i <= 50; i++) {
            InetAddress client = InetAddress.getByName("172.17.0." + i);
            assertThat(LeaderChoice.CLIENT_ADDRESS.choose(cluster.view(B), cluster.members(), client))
                    .isEqualTo(B);
        }
        assertThat(LeaderChoice.RAFT_LEADER.choose(cluster.view(B), cluster.members(), null))
                .isEqualTo(B);
        cluster.reachable(A.id(), true);
        assertThat(LeaderChoice.RAFT_LEADER.choose(cluster.view(B), cluster.members(), null))
                .isEqualTo(A);
    }
}
