package io.arbiter.bench.orchestrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void defaultsAreTheIssuesPoints() {
        Plan p = Plan.of(false, null, null, null, null, 1);
        assertThat(p.configs()).containsExactly("seata-file", "seata-raft-3", "arbiter-1", "arbiter-3");
        assertThat(p.points())
                .extracting(Plan.Point::toString)
                .containsExactly("empty:16", "empty:64", "at:16", "tcc:16");
        assertThat(p.warmupS()).isEqualTo(10);
        assertThat(p.durationS()).isEqualTo(30);
        assertThat(p.runs()).isEqualTo(16);
    }

    @Test
    void quickIsShorterWithFewerPointsUnlessToldOtherwise() {
        Plan q = Plan.of(true, "seata-file,arbiter-1", null, null, null, 1);
        assertThat(q.points()).extracting(Plan.Point::toString).containsExactly("empty:16", "at:16", "tcc:16");
        assertThat(q.warmupS()).isEqualTo(3);
        assertThat(q.durationS()).isEqualTo(10);
        Plan q2 = Plan.of(true, null, "rollback", 1.0, 2.0, 1);
        assertThat(q2.points()).containsExactly(new Plan.Point("rollback", 16));
        assertThat(q2.durationS()).isEqualTo(2);
    }

    @Test
    void aRepeatRunsTheConfigurationsInTurn() {
        Plan p = Plan.of(false, "arbiter-3-f8,arbiter-3", "at:64", 120.0, 30.0, 3);
        assertThat(p.configs())
                .containsExactly("arbiter-3-f8", "arbiter-3", "arbiter-3-f8", "arbiter-3", "arbiter-3-f8", "arbiter-3");
        assertThat(p.runs()).isEqualTo(6);
        assertThatThrownBy(() -> Plan.of(false, null, null, null, null, 0)).hasMessageContaining("--repeat");
    }

    @Test
    void rejectsUnknownWorkloadsAndConfigurations() {
        assertThatThrownBy(() -> Plan.parsePoints("xa:16")).hasMessageContaining("unknown workload");
        assertThatThrownBy(() -> Plan.parsePoints("empty:0")).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> Plan.parsePoints("empty:x")).hasMessageContaining("workload:threads");
        assertThatThrownBy(() -> Plan.parseConfigs("seata-db")).hasMessageContaining("unknown configuration");
        assertThat(Plan.parseConfigs("arbiter-3-grouplist, seata-raft-5"))
                .containsExactly("arbiter-3-grouplist", "seata-raft-5");
    }

    @Test
    void portsFollowSeatasConvention() {
        assertThat(List.of(Ports.http(8090, 1), Ports.rpc(8090, 1), Ports.raft(8090, 1)))
                .containsExactly(7091, 8091, 9091);
        assertThat(Ports.all(8090, 3)).containsExactly(7091, 8091, 9091, 7092, 8092, 9092, 7093, 8093, 9093);
    }

    @Test
    void seataRaftNodesKnowTheirPeersOnANonDefaultLoopbackAddress() {
        SeataServer s = new SeataServer(true, 3, 8090, "cp", Path.of("/w"), List.of("-Xmx1g"), 60);
        List<String> node2 = s.command(2);
        assertThat(node2)
                .contains(
                        "-Xmx1g",
                        "-Dserver.port=7092",
                        "-Dseata.server.service-port=8092",
                        "-Dseata.store.mode=raft",
                        "-Dserver.raftPort=9092",
                        "-Dseata.server.raft.server-addr=127.0.0.2:9091,127.0.0.2:9092,127.0.0.2:9093",
                        SeataServer.MAIN,
                        "127.0.0.2");
        assertThat(s.label()).isEqualTo("seata-raft-3");
        assertThat(s.target().toString()).isEqualTo("raft:127.0.0.1:7091,127.0.0.1:7092,127.0.0.1:7093");
        SeataServer file = new SeataServer(false, 1, 8090, "cp", Path.of("/w"), List.of(), 60);
        assertThat(file.command(1)).contains("-Dseata.store.mode=file").noneMatch(a -> a.contains("raft"));
        assertThat(file.target().toString()).isEqualTo("127.0.0.2:8091");
        assertThatThrownBy(() -> new SeataServer(false, 3, 8090, "cp", Path.of("/w"), List.of(), 60))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void arbiterRunsThroughItsLauncher() {
        Path bin = Path.of("bin/arbiter");
        ArbiterCluster one = ArbiterCluster.of("arbiter-1", 8090, bin, Path.of("/w"), "-Xmx1g", 60);
        assertThat(one.commands())
                .containsExactly(List.of(
                        "bin/arbiter",
                        "start",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "8091",
                        "--http-port",
                        "7091",
                        "--raft-port",
                        "9091",
                        "--data-dir",
                        "/w/data"));
        assertThat(one.target().toString()).isEqualTo("127.0.0.1:8091");
        ArbiterCluster three = ArbiterCluster.of("arbiter-3", 18090, bin, Path.of("/w"), "-Xmx1g", 60);
        assertThat(three.commands())
                .containsExactly(List.of(
                        "bin/arbiter",
                        "local-cluster",
                        "--nodes",
                        "3",
                        "--base-port",
                        "18090",
                        "--data-dir",
                        "/w/data"));
        assertThat(three.label()).isEqualTo("arbiter-3");
        assertThat(three.target().toString()).isEqualTo("raft:127.0.0.1:17091,127.0.0.1:17092,127.0.0.1:17093");
        ArbiterCluster grouplist = ArbiterCluster.of("arbiter-3-grouplist", 8090, bin, Path.of("/w"), "", 60);
        assertThat(grouplist.label()).isEqualTo("arbiter-3-grouplist");
        assertThat(grouplist.target().toString()).isEqualTo("127.0.0.1:8091,127.0.0.1:8092,127.0.0.1:8093");
        ArbiterCluster leader = ArbiterCluster.of("arbiter-3-leader", 8090, bin, Path.of("/w"), "", 60);
        assertThat(leader.label()).isEqualTo("arbiter-3-leader");
        assertThat(leader.commands()).hasSize(3);
        assertThat(leader.commands().get(1))
                .containsSubsequence(
                        "start",
                        "--port",
                        "8092",
                        "--raft-port",
                        "9092",
                        "--data-dir",
                        "/w/data/node-2",
                        "--cluster",
                        "127.0.0.1:9091,127.0.0.1:9092,127.0.0.1:9093",
                        "--config",
                        "/w/arbiter.properties");
        assertThat(leader.target().kind()).isEqualTo(io.arbiter.bench.load.Target.Kind.RAFT);
        assertThatThrownBy(() -> ArbiterCluster.of("arbiter-3-fast", 8090, bin, Path.of("/w"), "", 60))
                .hasMessageContaining("unknown configuration");
    }

    @Test
    void fragmentsAndLockFragmentsReachTheLauncher() {
        Path bin = Path.of("bin/arbiter");
        assertThat(Plan.parseConfigs("arbiter-3-f8-l3,arbiter-3-grouplist-f8"))
                .containsExactly("arbiter-3-f8-l3", "arbiter-3-grouplist-f8");
        assertThatThrownBy(() -> Plan.parseConfigs("arbiter-3-l3")).hasMessageContaining("unknown configuration");
        ArbiterCluster locks = ArbiterCluster.of("arbiter-3-f8-l3", 8090, bin, Path.of("/w"), "", 60);
        assertThat(locks.label()).isEqualTo("arbiter-3-f8-l3");
        assertThat(locks.commands().get(0)).endsWith("--fragments", "8", "--lock-fragments", "3");
        ArbiterCluster plain = ArbiterCluster.of("arbiter-3-grouplist-f8", 8090, bin, Path.of("/w"), "", 60);
        assertThat(plain.label()).isEqualTo("arbiter-3-grouplist-f8");
        assertThat(plain.commands().get(0)).endsWith("--fragments", "8").doesNotContain("--lock-fragments");
        ArbiterCluster replicated = ArbiterCluster.of("arbiter-3-f8-r", 8090, bin, Path.of("/w"), "", 60);
        assertThat(replicated.label()).isEqualTo("arbiter-3-f8-r");
        assertThat(replicated.commands().get(0)).endsWith("--fragments", "8", "--lock-table", "replicated");
    }
}
