package io.arbiter.compat.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Inventory;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.ha.FailureClass;
import io.arbiter.compat.ha.HaReport;
import io.arbiter.compat.ha.LoopbackNetwork;
import io.arbiter.compat.ha.Timeline;
import io.arbiter.compat.ha.TxRecord;
import io.arbiter.compat.ha.Verification;
import io.arbiter.compat.ha.Workload;
import io.arbiter.compat.server.Health;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Overload (issue 13 item 1): three node processes ({@code -Xmx384m} each) and the real Seata client offering an
 * AT + TCC load at 1×, 3× and 10× the concurrency (closed loop: 64, 192 and 640 application threads over the client's
 * connections, after a 5 s warm-up, 10 s per level; on a 2-core machine running the nodes, the client and PostgreSQL together,
 * 640 threads are past the point where throughput stops growing with the threads).
 * At every level the cluster keeps answering: throughput does not collapse, p99 latency stays bounded (far below
 * the client's timeouts), a transaction that cannot be served fails with a Seata error rather than hanging, every
 * node stays up and serving within its heap; afterwards nothing decided is lost (every acknowledged commit applied
 * exactly once, exact AT conservation, every branch final, no transaction or lock left). Figures per level to
 * {@code target/chaos/<class>.md} (docs/RELIABILITY.md "Overload").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OverloadScenario {
    private static final int UNITS_PER_ITEM = 1_000_000;
    private static final int ITEMS = 2_000;
    private static final int TX_TIMEOUT_MS = 30_000;
    private static final Duration LEVEL = Duration.ofSeconds(10);
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    /**
     * Application threads per level (1×, 3×, 10×). AT threads are capped at {@link #MAX_AT_THREADS}: each holds a
     * PostgreSQL connection (the embedded server allows 100), and the point is the coordinator, not the database.
     */
    private static final int[] THREADS = {64, 192, 640};

    private static final int MAX_AT_THREADS = 24;

    private final Timeline timeline = new Timeline();
    private CompatPostgres pg;
    private ArbiterCluster cluster;
    private CompatClient client;
    private DataSource raw;
    private DataSource at;

    protected abstract CompatClient newClient();

    @BeforeAll
    void start() throws Exception {
        pg = CompatPostgres.start();
        raw = pg.createDatabase("overload_inventory");
        Inventory.create(raw, ITEMS, UNITS_PER_ITEM);
        cluster = ArbiterCluster.start("overload", LoopbackNetwork.create(3), Discovery.STATIC_GROUPLIST, Map.of());
        client = newClient();
        client.init(cluster);
        at = client.atDataSource(raw);
        timeline.event(
                "3 nodes up; client " + client.clientVersion() + " with " + ClientSettings.systemProperties(cluster));
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** One level's figures. */
    private record Level(
            int threads,
            double txPerSecond,
            long p50Ms,
            long p99Ms,
            long maxMs,
            long failed,
            String failures,
            long maxRssMb) {}

    @Test
    void tenTimesTheLoadIsServedSlowerNotDropped() throws Exception {
        List<TxRecord> all = new ArrayList<>();
        List<Level> levels = new ArrayList<>();
        HaReport report = null;
        try {
            Workload warmUp = new Workload(client, at, 4, THREADS[0] - 4, ITEMS, TX_TIMEOUT_MS);
            warmUp.start();
            Thread.sleep(WARM_UP.toMillis()); // the client's and the nodes' code compiled before the first level
            warmUp.stop(Duration.ofSeconds(120));
            all.addAll(warmUp.records());
            timeline.event("warm-up done: " + warmUp.records().size() + " transactions");
            for (int threads : THREADS) {
                int atThreads = Math.min(MAX_AT_THREADS, threads / 4);
                Workload load = new Workload(client, at, atThreads, threads - atThreads, ITEMS, TX_TIMEOUT_MS);
                long from = System.nanoTime();
                load.start();
                timeline.event(threads + " threads started");
                Thread.sleep(LEVEL.toMillis());
                load.stop(Duration.ofSeconds(120));
                long took = System.nanoTime() - from;
                List<TxRecord> records = load.records();
                all.addAll(records);
                Level level = level(threads, records, took);
                levels.add(level);
                timeline.event(threads + " threads stopped: " + level);
                assertThat(cluster.health())
                        .as("every node up and serving after %d threads", threads)
                        .allMatch(h -> h.map(Health.Report::serving).orElse(false));
            }
        } finally {
            report = new HaReport(getClass().getSimpleName(), timeline, all, THREADS[THREADS.length - 1])
                    .setup("client", "Seata " + client.clientVersion() + ", static grouplist, in one JVM")
                    .setup("cluster", "loopback, 3 node processes (-Xmx384m), server defaults")
                    .setup(
                            "load",
                            "closed loop, half AT (PostgreSQL inventory, " + ITEMS + " items) and half TCC "
                                    + "(two branches), " + LEVEL.toSeconds() + " s per level");
            for (Level l : levels) {
                report.check(
                        l.threads() + " threads (" + l.threads() / THREADS[0] + "×): tx/s, p50 / p99 / max, "
                                + "failed, node RSS max",
                        String.format(
                                "%.0f tx/s, %d / %d / %d ms, %d failed%s, %d MB",
                                l.txPerSecond(),
                                l.p50Ms(),
                                l.p99Ms(),
                                l.maxMs(),
                                l.failed(),
                                l.failed() == 0 ? "" : " (" + l.failures() + ")",
                                l.maxRssMb()));
            }
        }
        try {
            Verification.run(report, cluster, client, raw, (long) ITEMS * UNITS_PER_ITEM, Duration.ofSeconds(90));
        } finally {
            report.write(getClass().getSimpleName());
        }
        assertThat(report.problems()).as("problems").isEmpty();

        Level first = levels.get(0);
        Level tenfold = levels.get(levels.size() - 1);
        assertThat(levels).allSatisfy(l -> assertThat(l.txPerSecond()).isPositive());
        assertThat(tenfold.txPerSecond())
                .as("throughput at 10× does not collapse (1×: %.0f tx/s)", first.txPerSecond())
                .isGreaterThanOrEqualTo(first.txPerSecond() * 0.3);
        assertThat(tenfold.p99Ms()).as("p99 at 10× stays bounded").isLessThan(10_000);
        assertThat(tenfold.maxMs())
                .as("no transaction waits anywhere near a timeout")
                .isLessThan(TX_TIMEOUT_MS);
        for (TxRecord r : all) {
            if (!r.committed()) {
                assertThat(r.error())
                        .as("a transaction that was not served fails with an error naming why: %s", r)
                        .isNotBlank();
            }
        }
        long failed = all.stream().filter(r -> !r.committed()).count();
        assertThat(failed)
                .as("transactions failed of %d: %s", all.size(), failuresByClass(all))
                .isLessThanOrEqualTo(all.size() / 20);
    }

    private Level level(int threads, List<TxRecord> records, long tookNs) throws IOException {
        List<Long> latencies = records.stream()
                .filter(TxRecord::committed)
                .map(r -> r.latencyNs() / 1_000_000)
                .sorted()
                .toList();
        long committed = latencies.size();
        long rss = 0;
        for (int k = 0; k < cluster.size(); k++) {
            rss = Math.max(rss, cluster.node(k).rssBytes());
        }
        return new Level(
                threads,
                committed * 1e9 / tookNs,
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
                records.size() - committed,
                failuresByClass(records),
                rss / (1024 * 1024));
    }

    private static String failuresByClass(List<TxRecord> records) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        records.stream()
                .filter(r -> !r.committed())
                .forEach(r -> counts.merge(String.valueOf(FailureClass.of(r)), 1L, Long::sum));
        return counts.toString();
    }

    private static long percentile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}
