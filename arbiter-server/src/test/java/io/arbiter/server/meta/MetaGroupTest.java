package io.arbiter.server.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.memory.InMemoryReplicaGroup;
import io.arbiter.server.cluster.ClusterMember;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A node without a meta replica finds the meta leader by asking members in turn. Its first guesses come from its
 * configuration (the first nodes by id), which for a node that joined a grown cluster can miss the meta leader
 * altogether: the guesses must also go round every member of the cluster map (the cause of a join that never
 * learned the map in a full-suite run).
 */
class MetaGroupTest {
    private static Optional<ClusterMember> member(String id) {
        return Optional.of(ClusterMember.fromId(id));
    }

    @Test
    void guessesGoRoundEveryMemberNotJustTheFirstOnes() {
        // configured: 22484, 34503, 39955 (the first three by id); the meta group is 22484, 39955, 40431
        MetaGroup meta =
                new MetaGroup(MetaGroupTest::member, List.of("127.0.0.1_22484", "127.0.0.1_34503", "127.0.0.1_39955"));
        Set<String> asked = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            meta.leader().ifPresent(m -> asked.add(m.id()));
        }
        assertThat(asked).doesNotContain("127.0.0.1_40431");

        meta.guessAlso(() ->
                List.of("127.0.0.1_22484", "127.0.0.1_34503", "127.0.0.1_39955", "127.0.0.1_40431", "127.0.0.1_37133"));
        asked.clear();
        for (int i = 0; i < 12; i++) {
            meta.leader().ifPresent(m -> asked.add(m.id()));
        }
        assertThat(asked).contains("127.0.0.1_40431");
    }

    /**
     * A meta replica that Raft removed may stop itself (the voters turn its elections down) without ever seeing the
     * configuration without it; its map then never changes again, so the node must not follow it (a full-suite run:
     * a drained node kept its fragment replicas because its stopped meta replica still named it a voter).
     */
    @Test
    void aStoppedReplicaIsNotFollowedEvenIfItsConfigurationStillNamesThisNode() {
        MetaGroup meta = new MetaGroup("n1", MetaGroupTest::member, List.of("n1"));
        InMemoryReplicaGroup replica = new InMemoryReplicaGroup("n1", meta.stateMachine());
        meta.attach(replica);
        assertThat(meta.following()).as("not started yet").isFalse();
        assertThat(meta.replicaRemoved()).as("starting is not removed").isFalse();
        replica.start();
        await().atMost(Duration.ofSeconds(5)).until(meta::following);
        assertThat(meta.replicaRemoved()).isFalse();

        replica.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !replica.view().member());
        assertThat(replica.peers()).extracting(p -> p.id()).containsExactly("n1");
        assertThat(meta.following()).isFalse();
        assertThat(meta.replicaRemoved()).as("its keeper drops it").isTrue();
    }
}
