package io.arbiter.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    @Test
    void defaultsAreSeatasPorts() {
        ArbiterConfig c = ConfigLoader.load(Map.of());
        assertThat(c.port()).isEqualTo(8091);
        assertThat(c.httpPort()).isEqualTo(7091);
        assertThat(c.raftPort()).isEqualTo(9091);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.xidPrefix()).endsWith(":8091");
    }

    @Test
    void seataKeysAreAccepted() {
        ArbiterConfig c = ConfigLoader.load(Map.of(
                "seata.server.service-port",
                "18091",
                "server.port",
                "17091",
                "store.file.dir",
                "/tmp/x",
                "server.maxCommitRetryTimeout",
                "5000"));
        assertThat(c.port()).isEqualTo(18091);
        assertThat(c.httpPort()).isEqualTo(17091);
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.coordinator().maxCommitRetryMillis()).isEqualTo(5000);
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.prot", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'arbiter.prot'");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.port", "eighty")))
                .hasMessageContaining("'arbiter.port'")
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.http-port", "70000")))
                .hasMessageContaining("'arbiter.http-port'");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.retry-backoff-ms", "0")))
                .hasMessageContaining("'arbiter.retry-backoff-ms'");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.host", "1.2.3.4:80")))
                .hasMessageContaining("'arbiter.host'");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.raft.max-outstanding-entries", "0")))
                .hasMessageContaining("'arbiter.raft.max-outstanding-entries'");
    }

    @Test
    void placementSettings() {
        PlacementConfig defaults = ConfigLoader.load(Map.of()).placement();
        assertThat(defaults).isEqualTo(PlacementConfig.DEFAULTS);
        PlacementConfig set = ConfigLoader.load(Map.of(
                        "arbiter.placement.node-down-after",
                        "90s",
                        "arbiter.placement.replicas",
                        "5",
                        "arbiter.placement.enabled",
                        "false",
                        "arbiter.placement.max-operators",
                        "8",
                        "arbiter.placement.max-fragments",
                        "100"))
                .placement();
        assertThat(set)
                .isEqualTo(new PlacementConfig(
                        false,
                        5,
                        java.time.Duration.ofSeconds(90),
                        8,
                        100,
                        256,
                        java.time.Duration.ofMinutes(10),
                        java.time.Duration.ofSeconds(60)));
        PlacementConfig sizing = ConfigLoader.load(Map.of(
                        "arbiter.placement.grow-above",
                        "40",
                        "arbiter.placement.retire-after-calm",
                        "5s",
                        "arbiter.placement.resize-cooldown",
                        "2s"))
                .placement();
        assertThat(sizing.growAbove()).isEqualTo(40);
        assertThat(sizing.retireAfterCalm()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(sizing.resizeCooldown()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(ConfigLoader.load(Map.of("arbiter.placement.node-down-after", "1500"))
                        .placement()
                        .nodeDownAfter())
                .isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(ConfigLoader.load(Map.of("arbiter.placement.node-down-after", "2m"))
                        .placement()
                        .nodeDownAfter())
                .isEqualTo(java.time.Duration.ofMinutes(2));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.placement.node-down-after", "soon")))
                .hasMessageContaining("'arbiter.placement.node-down-after'")
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.placement.enabled", "yes")))
                .hasMessageContaining("'arbiter.placement.enabled'");
        assertThatThrownBy(() ->
                        ConfigLoader.load(Map.of("arbiter.placement.max-fragments", "2", "arbiter.fragments", "4")))
                .hasMessageContaining("'arbiter.placement.max-fragments'");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.placement.replicas", "0")))
                .hasMessageContaining("'arbiter.placement.replicas'");
    }

    @Test
    void lockSlotsGoToTheFirstFragmentUnlessSetOtherwise() {
        assertThat(ConfigLoader.load(Map.of("arbiter.fragments", "8")).lockFragments())
                .isEqualTo(1);
        assertThat(ConfigLoader.load(Map.of("arbiter.fragments", "8", "arbiter.lock-fragments", "8"))
                        .lockFragments())
                .isEqualTo(8);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.fragments", "4", "arbiter.lock-fragments", "5")))
                .hasMessageContaining("'arbiter.lock-fragments'")
                .hasMessageContaining("arbiter.fragments (4)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.lock-fragments", "0")))
                .hasMessageContaining("'arbiter.lock-fragments'");
    }

    @Test
    void raftWindowIsConfigurable() {
        assertThat(ConfigLoader.load(Map.of()).maxOutstandingEntries())
                .isEqualTo(ArbiterConfig.DEFAULT_MAX_OUTSTANDING_ENTRIES);
        assertThat(ConfigLoader.load(Map.of("arbiter.raft.max-outstanding-entries", "3"))
                        .maxOutstandingEntries())
                .isEqualTo(3);
    }

    @Test
    void contradictorySpellingsAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("arbiter.port", "1000", "seata.server.service-port", "2000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("contradicts");
    }
}
