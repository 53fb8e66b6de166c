package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, one fragment: a follower's metrics count the requests it forwards and no transactions, the leader's
 * count the transactions; after the leadership moves, the new leader's {@code seata_transaction} active count
 * includes the transaction begun under the old one, the old leader's drops to zero, and every replica counts the
 * leader change.
 */
class MetricsClusterTest {
    private static final String[] APP = {"applicationId", "app", "group", "grp"};

    @TempDir
    Path dataDir;

    private static String begin(RawSeataClient tm) throws Exception {
        return ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "tx"))).xid();
    }

    private static void commit(RawSeataClient tm, String xid) throws Exception {
        GlobalCommitResponse r = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(xid));
        assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Committed);
    }

    private static MetricsText scrape(ArbiterNode node) throws Exception {
        return MetricsText.scrape(node.httpPort());
    }

    private static String fragmentsApi(ArbiterNode node) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/fragments"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void transferLeader(ArbiterNode via, ArbiterNode to) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + via.httpPort()
                                        + "/api/v1/fragments/transfer-leader?fragment=0&node="
                                        + URLEncoder.encode(to.config().selfId(), StandardCharsets.UTF_8)))
                                .timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void countsFollowTheLeaderAcrossNodes() throws Exception {
        List<ArbiterNode> nodes = TestNodes.startCluster(dataDir, 3, Map.of());
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> nodes.stream()
                                    .filter(n -> n.fragments().ledHere().size() == 1)
                                    .count()
                            == 1);
            ArbiterNode leader = nodes.stream()
                    .filter(n -> n.fragments().ledHere().size() == 1)
                    .findFirst()
                    .orElseThrow();
            ArbiterNode follower =
                    nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
            // operators work once the cluster map is in the meta group (bootstrapped just after start)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ArbiterNode n : nodes) {
                    assertThat(fragmentsApi(n)).contains("\"replicated\":true");
                }
            });
            try (RawSeataClient tm = RawSeataClient.tm(follower.port())) {
                for (int i = 0; i < 3; i++) {
                    commit(tm, begin(tm));
                }
                String open = begin(tm);
                MetricsText f = scrape(follower);
                MetricsText l = scrape(leader);
                assertThat(f.sum("arbiter_requests_total", "route", "forwarded"))
                        .isGreaterThanOrEqualTo(7);
                assertThat(f.seata("counter", "committed", APP)).isZero();
                assertThat(f.seata("counter", "active", APP)).isZero();
                assertThat(l.seata("counter", "committed", APP)).isEqualTo(3);
                assertThat(l.seata("counter", "active", APP)).isEqualTo(1);
                assertThat(l.sum("arbiter_fragment_leader", "fragment", "0")).isEqualTo(1);
                assertThat(f.sum("arbiter_fragment_leader", "fragment", "0")).isZero();
                assertThat(l.sum("arbiter_connections", "role", "peer")).isPositive();
                double[] changesBefore = new double[nodes.size()];
                for (int i = 0; i < nodes.size(); i++) {
                    changesBefore[i] =
                            scrape(nodes.get(i)).sum("arbiter_fragment_leader_changes_total", "fragment", "0");
                }

                transferLeader(follower, follower);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(scrape(follower).seata("counter", "active", APP)).isEqualTo(1);
                    assertThat(scrape(leader).seata("counter", "active", APP)).isZero();
                    for (int i = 0; i < nodes.size(); i++) {
                        assertThat(scrape(nodes.get(i)).sum("arbiter_fragment_leader_changes_total", "fragment", "0"))
                                .isGreaterThan(changesBefore[i]);
                    }
                });

                commit(tm, open); // now served on the follower, which leads
                MetricsText after = scrape(follower);
                assertThat(after.seata("counter", "committed", APP)).isEqualTo(1);
                assertThat(after.seata("counter", "active", APP)).isZero();
                double total = 0;
                for (ArbiterNode n : nodes) {
                    total += scrape(n).seata("counter", "committed", APP);
                }
                assertThat(total).isEqualTo(4);
            }
        } finally {
            nodes.forEach(ArbiterNode::close);
        }
    }
}
