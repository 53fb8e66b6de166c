package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package; installed by {@link PrometheusProcess#ensureInstalled} when missing) scrapes a
 * node with two fragments every second while two TMs commit and roll back transactions; what Prometheus stored is
 * then checked through its query API: Seata's {@code seata_transaction} series under Seata's names and labels with
 * exactly the numbers of transactions committed and rolled back, and Arbiter's own series.
 */
class PrometheusScrapeTest {
    @TempDir
    Path dir;

    @Test
    void prometheusStoresSeatasSeriesAndOursWithTheExactCounts() throws Exception {
        PrometheusProcess.ensureInstalled();
        try (ArbiterNode node = TestNodes.start(dir.resolve("node"), Map.of("arbiter.fragments", "2"));
                PrometheusProcess prometheus = PrometheusProcess.start(dir, "127.0.0.1:" + node.httpPort())) {
            AtomicInteger committed = new AtomicInteger();
            AtomicInteger rolledBack = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread thread = new Thread(
                        () -> {
                            try (RawSeataClient tm = RawSeataClient.tm(node.port())) {
                                for (int i = 0; running.get(); i++) {
                                    GlobalBeginResponse begin =
                                            (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "load"));
                                    assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
                                    if (i % 4 == 3) {
                                        GlobalRollbackResponse r = (GlobalRollbackResponse)
                                                tm.call(new GlobalRollbackRequest(begin.xid()));
                                        assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Rollbacked);
                                        rolledBack.incrementAndGet();
                                    } else {
                                        GlobalCommitResponse r =
                                                (GlobalCommitResponse) tm.call(new GlobalCommitRequest(begin.xid()));
                                        assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Committed);
                                        committed.incrementAndGet();
                                    }
                                }
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                            }
                        },
                        "load-" + t);
                thread.start();
                load.add(thread);
            }
            String seataCommitted = "seata_transaction{role=\"tc\",meter=\"counter\",status=\"committed\","
                    + "applicationId=\"app\",group=\"grp\"}";
            // scraped under load: Prometheus sees the committed count grow over several scrapes
            TreeSet<Double> seen = new TreeSet<>();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        double v = prometheus.value(seataCommitted);
                        if (!Double.isNaN(v) && v > 0) {
                            seen.add(v);
                        }
                        return seen.size() >= 3;
                    });
            running.set(false);
            for (Thread thread : load) {
                thread.join(30_000);
            }
            assertThat(failure.get()).isNull();
            assertThat(committed.get()).isGreaterThan(0);
            assertThat(rolledBack.get()).isGreaterThan(0);

            // the last scrape after the load holds the exact totals
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(() -> {
                        assertThat(prometheus.value(seataCommitted)).isEqualTo(committed.get());
                        assertThat(prometheus.value(seataCommitted.replace("committed", "rollbacked")))
                                .isEqualTo(rolledBack.get());
                    });
            assertThat(prometheus.value("seata_transaction{role=\"tc\",meter=\"counter\",status=\"AfterCommitted\"}"))
                    .isEqualTo(committed.get());
            assertThat(prometheus.value("seata_transaction{role=\"tc\",meter=\"counter\",status=\"active\"}"))
                    .isZero();
            assertThat(prometheus.query("seata_transaction{role=\"tc\",meter=\"timer\",status=\"committed\"}").stream()
                            .map(s -> s.getKey().get("statistic")))
                    .containsExactlyInAnyOrder("count", "total", "max", "average");
            assertThat(prometheus.query("seata_transaction{meter=\"summary\",status=\"committed\"}").stream()
                            .map(s -> s.getKey().get("statistic")))
                    .containsExactlyInAnyOrder("count", "total", "tps");
            assertThat(prometheus.query("{__name__=~\"seata_transaction_.*\"}")).isEmpty();

            assertThat(prometheus.value("up{job=\"arbiter\"}")).isEqualTo(1);
            assertThat(prometheus.value("sum(arbiter_transactions_ended_total{status=\"Committed\"})"))
                    .isEqualTo(committed.get());
            assertThat(prometheus.value("sum(arbiter_transactions_begun_total)"))
                    .isEqualTo(committed.get() + rolledBack.get());
            assertThat(prometheus.query("arbiter_fragment_commands_total").stream()
                            .map(s -> s.getKey().get("fragment")))
                    .containsExactlyInAnyOrder("0", "1");
            assertThat(prometheus.value("sum(arbiter_transactions_live)")).isZero();
            assertThat(prometheus.query("jvm_memory_used_bytes")).isNotEmpty();
            assertThat(prometheus.query("arbiter_raft_commit_seconds_count")).isNotEmpty();
        }
    }
}
