package io.arbiter.server.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.server.cluster.ClusterMember;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Where this node sends a fragment's commands when its own replica of the fragment knows no leader — a replica
 * joining here (after an undrain or a move back) learns the leader only once the group has added it, seconds
 * later: the node guesses among the map's replicas as a node without a replica does, and takes its replica's
 * view again once that names a leader.
 */
class LeaderGuessTest {
    private static final ClusterMember A = ClusterMember.fromRaftAddress("10.0.0.1", 9091);
    private static final ClusterMember B = ClusterMember.fromRaftAddress("10.0.0.2", 9091);
    private static final ClusterMember C = ClusterMember.fromRaftAddress("10.0.0.3", 9091);

    /** A replica group that only answers who leads it (the rest is not used here). */
    private static ReplicaGroup groupLedBy(AtomicReference<String> leader) {
        return (ReplicaGroup) Proxy.newProxyInstance(
                ReplicaGroup.class.getClassLoader(),
                new Class<?>[] {ReplicaGroup.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "leaderId" -> Optional.ofNullable(leader.get());
                    case "isLeader" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    @Test
    void aReplicaThatKnowsNoLeaderYetDoesNotStopTheNodeFromGuessing() {
        List<ClusterMember> members = List.of(A, B, C);
        ClusterMap map = ClusterMap.initial(1, List.of(A.id(), B.id(), C.id()), 3);
        Fragments fragments = new Fragments(
                C.id(),
                map,
                id -> members.stream().filter(m -> m.id().equals(id)).findFirst());
        AtomicReference<String> seen = new AtomicReference<>();
        Fragment joining = new Fragment(0, CoordinatorSettings.defaults());
        joining.attach(groupLedBy(seen));
        fragments.add(joining);

        assertThat(fragments.leaderOf(0))
                .as("first guess: the map's first replica")
                .contains(A);
        fragments.notLeader(0, A.id());
        assertThat(fragments.leaderOf(0)).as("A said it does not lead").contains(B);

        seen.set(C.id()); // added to the group, the replica learns the leader
        assertThat(fragments.leaderOf(0)).contains(C);
        fragments.notLeader(0, B.id());
        assertThat(fragments.leaderOf(0))
                .as("the replica's view wins over guesses")
                .contains(C);
    }
}
