package io.arbiter.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplicaGroupConfigTest {

    private static final UUID GROUP = ReplicaGroupConfig.groupIdOf("default");

    @Test
    void defaultsFollowTheMeasuredReference() {
        ReplicaGroupConfig c = ReplicaGroupConfig.builder(GROUP, "n1", Path.of("data"))
                .singlePeer("10.0.0.1", 9100)
                .build();
        assertThat(c.fsync()).isTrue();
        assertThat(c.maxCommandsPerEntry()).isEqualTo(256);
        assertThat(c.electionTimeoutMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.electionTimeoutMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.snapshotThresholdEntries()).isEqualTo(50_000);
        assertThat(c.logSegmentSizeBytes()).isEqualTo(1 << 20);
        assertThat(c.logSegmentCacheBytes()).isEqualTo(8 << 20);
        assertThat(c.self().address()).isEqualTo("10.0.0.1:9100");
        assertThat(c.joining()).isFalse();
        assertThat(c.commitTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.adminTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.toBuilder().build()).isEqualTo(c);
        ReplicaGroupConfig joining =
                c.toBuilder().joining(true).commitTimeout(Duration.ofSeconds(3)).build();
        assertThat(joining.toBuilder().build()).isEqualTo(joining);
        assertThat(joining.joining()).isTrue();
    }

    @Test
    void groupIdOfANameIsStable() {
        assertThat(ReplicaGroupConfig.groupIdOf("default"))
                .isEqualTo(GROUP)
                .isNotEqualTo(ReplicaGroupConfig.groupIdOf("x"));
    }

    @Test
    void rejectsInconsistentValues() {
        var peers = List.of(new ReplicaGroupConfig.Peer("a", "h", 1), new ReplicaGroupConfig.Peer("b", "h", 2));
        var builder = ReplicaGroupConfig.builder(GROUP, "a", Path.of("d")).peers(peers);
        assertThat(builder.build().peers()).hasSize(2);
        assertThatThrownBy(() -> ReplicaGroupConfig.builder(GROUP, "c", Path.of("d"))
                        .peers(peers)
                        .build())
                .hasMessageContaining("not one of the peers");
        assertThatThrownBy(
                        () -> builder.peers(List.of(peers.get(0), peers.get(0))).build())
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> builder.peers(peers)
                        .electionTimeout(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .build())
                .hasMessageContaining("electionTimeoutMin < electionTimeoutMax");
        assertThatThrownBy(() -> builder.electionTimeout(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .maxCommandsPerEntry(0)
                        .build())
                .hasMessageContaining("maxCommandsPerEntry");
        assertThatThrownBy(() -> new ReplicaGroupConfig.Peer("a", "h", 70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> builder.maxCommandsPerEntry(1)
                        .commitTimeout(Duration.ZERO)
                        .build())
                .hasMessageContaining("commitTimeout");
        assertThatThrownBy(() -> ReplicaGroupConfig.Peer.checkMembers(List.of()))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() ->
                        ReplicaGroupConfig.builder(GROUP, "a", Path.of("d")).build())
                .hasMessageContaining("at least one peer");
    }
}
