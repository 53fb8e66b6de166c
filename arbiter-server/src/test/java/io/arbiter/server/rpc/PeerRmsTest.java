package io.arbiter.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.server.cluster.ClusterMember;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeerRmsTest {
    private static final ClusterMember P1 = new ClusterMember("p1", "10.0.0.1", 8091, 7091, 9091);
    private static final ClusterMember P2 = new ClusterMember("p2", "10.0.0.2", 8091, 7091, 9091);
    private static final ClusterMember P3 = new ClusterMember("p3", "10.0.0.3", 8091, 7091, 9091);
    private static final List<ClusterMember> PEERS = List.of(P1, P2, P3);

    private static ClientSession rm(String app, String ip, int port, String... resources) {
        ClientSession s = new ClientSession(ClientSession.Role.RM, ClientVersion.parse("2.5.0"), app, "grp", ip, port);
        s.resourceIds().addAll(List.of(resources));
        return s;
    }

    @Test
    void holdingsSurviveTheTripAndBadLinesCostOnlyThemselves() {
        ClientSession a = rm("orders", "192.168.0.5", 40001, "jdbc:postgresql://db:5432/orders", "tcc-pay");
        ClientSession b = rm("stock", "192.168.0.6", 40002, "jdbc:postgresql://db:5432/stock");
        String text = RmHoldings.encode(List.of(a, rm("idle", "1.2.3.4", 1), b));

        List<ClientSession> back = RmHoldings.decode("garbage\n" + text + "x\ty\tz\tnot-a-port\t2.5.0\tr\n");

        assertThat(back).hasSize(2);
        assertThat(back.get(0).clientId()).isEqualTo("orders:192.168.0.5:40001");
        assertThat(back.get(0).serviceGroup()).isEqualTo("grp");
        assertThat(back.get(0).version().text()).isEqualTo("2.5.0");
        assertThat(back.get(0).resourceIds()).containsExactlyInAnyOrder("jdbc:postgresql://db:5432/orders", "tcc-pay");
        assertThat(back.get(1).resourceIds()).isEqualTo(Set.of("jdbc:postgresql://db:5432/stock"));
        assertThat(RmHoldings.decode("")).isEmpty();
        assertThat(RmHoldings.decode(null)).isEmpty();
    }

    @Test
    void peersHoldingASuitableRmComeFirstBestMatchFirstThenReachableOnes() {
        PeerRms rms = new PeerRms();
        rms.replace("p1", List.of(rm("other-app", "192.168.0.5", 1, "r")));
        rms.replace("p2", List.of(rm("app", "192.168.0.9", 2, "r")));
        rms.replace("p3", List.of(rm("app", "192.168.0.5", 3, "r")));
        String client = "app:192.168.0.5:40000";

        // same app and IP (p3) before same app elsewhere (p2); another app (p1) only if allowed, else by reachability
        assertThat(rms.order(PEERS, "r", client, "app", true, id -> true)).containsExactly(P3, P2, P1);
        assertThat(rms.order(PEERS, "r", client, "app", false, id -> !id.equals("p1")))
                .containsExactly(P3, P2, P1);
        // the exact client wins
        rms.replace("p1", List.of(rm("app", "192.168.0.5", 40000, "r")));
        assertThat(rms.order(PEERS, "r", client, "app", false, id -> true).get(0))
                .isEqualTo(P1);
        // nobody holds the resource: reachable peers first, in membership order
        assertThat(rms.order(PEERS, "unknown", client, "app", true, id -> !id.equals("p1")))
                .containsExactly(P2, P3, P1);
    }

    @Test
    void whatAPeerSaidExpiresWhenItStopsSayingIt() {
        AtomicLong now = new AtomicLong(1_000_000);
        PeerRms rms = new PeerRms(now::get);
        rms.replace("p3", List.of(rm("app", "192.168.0.5", 3, "r")));
        assertThat(rms.order(PEERS, "r", "app:192.168.0.5:3", "app", false, id -> true)
                        .get(0))
                .isEqualTo(P3);
        assertThat(rms.describe()).containsOnlyKeys("p3");

        now.addAndGet(PeerRms.MAX_AGE_MILLIS + 1);

        assertThat(rms.order(PEERS, "r", "app:192.168.0.5:3", "app", false, id -> true))
                .containsExactly(P1, P2, P3);
        assertThat(rms.describe()).isEmpty();
    }
}
