package io.arbiter.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void aGrouplistTargetConfiguresTheFileRegistry() {
        Target t = Target.parse("127.0.0.1:8091, 127.0.0.1:8092");
        assertThat(t.kind()).isEqualTo(Target.Kind.GROUPLIST);
        assertThat(t.ports()).containsExactly(8091, 8092);
        assertThat(t.clientProperties())
                .containsEntry("registry.type", "file")
                .containsEntry("service.default.grouplist", "127.0.0.1:8091;127.0.0.1:8092")
                .containsEntry("service.vgroupMapping.bench_tx_group", "default")
                .doesNotContainKey("registry.raft.serverAddr");
        assertThat(t).hasToString("127.0.0.1:8091,127.0.0.1:8092");
        assertThat(Target.parse("127.0.0.1:8091;127.0.0.1:8092")).isEqualTo(t);
        assertThat(Target.parse("grouplist:127.0.0.1:8091").addresses()).containsExactly("127.0.0.1:8091");
    }

    @Test
    void aRaftTargetConfiguresTheRaftRegistryWithHttpAddresses() {
        Target t = Target.parse("raft:127.0.0.1:7091,127.0.0.1:7092,127.0.0.1:7093");
        assertThat(t.kind()).isEqualTo(Target.Kind.RAFT);
        assertThat(t.clientProperties())
                .containsEntry("registry.type", "raft")
                .containsEntry("registry.raft.serverAddr", "127.0.0.1:7091,127.0.0.1:7092,127.0.0.1:7093")
                .doesNotContainKey("service.default.grouplist");
        assertThat(Target.parse(t.toString())).isEqualTo(t);
    }

    @Test
    void rejectsAddressesWithoutAPort() {
        assertThatThrownBy(() -> Target.parse("127.0.0.1")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Target.parse("raft:")).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Target.parse("h:99999")).hasMessageContaining("range");
        assertThatThrownBy(() -> Target.parse("h:abc")).hasMessageContaining("host:port");
    }

    @Test
    void loadOptionsSurviveTheTripToAChildJvm() {
        LoadOptions o = new LoadOptions();
        o.workload = "at";
        o.threads = 64;
        o.target = "raft:127.0.0.1:7091";
        o.coordinatorPids = List.of(11L, 12L);
        LoadOptions back = new LoadOptions();
        new picocli.CommandLine(back).parseArgs(o.toArgs().toArray(String[]::new));
        assertThat(back).usingRecursiveComparison().isEqualTo(o);
    }
}
