package io.arbiter.compat.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Inventory;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.ha.HaReport;
import io.arbiter.compat.ha.LoopbackNetwork;
import io.arbiter.compat.ha.RawTm;
import io.arbiter.compat.ha.Timeline;
import io.arbiter.compat.ha.TxRecord;
import io.arbiter.compat.ha.Verification;
import io.arbiter.compat.ha.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Automatic placement with real node processes on loopback under AT + TCC load from the real Seata client (static
 * grouplist of the first three nodes): 3 nodes with 8 fragments; a 4th, then a 5th node joins (started with
 * {@code --join}, added through changeCluster) and within 60 s holds its share of replicas and leaders; the 5th is
 * killed with SIGKILL and left down, and every fragment is back at 3 replicas on live nodes within
 * {@code node-down-after} (6 s here) plus catch-up; a node the client talks to (a founding meta voter) is drained
 * under load and ends holding nothing, and the meta group (the cluster map's Raft group) leaves it and the dead
 * node for live members; a spike of open transactions creates fragments and the calm after it retires them. No
 * application transaction may fail (the application waits up to 3 s for a row lock, see {@link #start}); at the end the usual durability checks (no lost decision,
 * exact conservation, unique XIDs, every branch final). Figures to {@code target/chaos/<class>.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PlacementScenario {
    private static final int UNITS_PER_ITEM = 1_000_000;
    private static final int ITEMS = 20;
    private static final long DOWN_AFTER_MS = 6_000;
    private static final ObjectMapper JSON = new ObjectMapper();

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
        raw = pg.createDatabase("placement_inventory");
        Inventory.create(raw, ITEMS, UNITS_PER_ITEM);
        cluster = ArbiterCluster.startFirst(
                "placement",
                LoopbackNetwork.create(5),
                Discovery.STATIC_GROUPLIST,
                Map.of(
                        "arbiter.fragments",
                        "8",
                        "arbiter.placement.node-down-after",
                        DOWN_AFTER_MS + "ms",
                        "arbiter.placement.grow-above",
                        "50",
                        "arbiter.placement.max-fragments",
                        "10",
                        "arbiter.placement.retire-after-calm",
                        "5s",
                        "arbiter.placement.resize-cooldown",
                        "2s"),
                3);
        timeline.event("3 nodes up, 8 fragments");
        // the application waits up to 3 s for a row lock, as the single-node scenarios do (ClientSettings): with
        // Seata's default (30 x 10 ms) a leader move that pauses the holder of one of the 20 rows for more than
        // 300 ms fails the other worker's sale, which tests the client's lock patience, not placement (the pause
        // itself shows in the report's latencies). One JVM per test class: the properties stay in this class.
        Map<String, String> lockPatience =
                Map.of("client.rm.lock.retryInterval", "20", "client.rm.lock.retryTimes", "150");
        lockPatience.forEach(System::setProperty);
        client = newClient();
        client.init(cluster);
        at = client.atDataSource(raw);
        timeline.event("client " + client.clientVersion() + " up with " + ClientSettings.systemProperties(cluster)
                + " and " + lockPatience);
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

    /** The placement document ({@code GET /api/v1/cluster}) as node {@code via} answers it. */
    private JsonNode placement(int via) throws Exception {
        return JSON.readTree(cluster.get(via, "/api/v1/cluster"));
    }

    private String nodeId(int k) {
        return cluster.node(k).host() + "_" + cluster.node(k).raftPort();
    }

    /** Waits until {@code ok} holds for the placement document; returns how long that took. */
    private long await(String what, Duration limit, Predicate<JsonNode> ok) throws Exception {
        long start = System.nanoTime();
        String last = "";
        while (System.nanoTime() - start < limit.toNanos()) {
            try {
                JsonNode doc = placement(0);
                if (ok.test(doc)) {
                    long took = System.nanoTime() - start;
                    timeline.event(what + " after " + HaReport.ms(took));
                    return took;
                }
                last = doc.toString(); // nodes, fragments and the operators (with why a step failed)
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + ": not within " + limit + "; last seen " + last);
    }

    /** Every live node in {@code live} within 1 of the mean of replicas and of leaders; every fragment on 3 of them. */
    private static boolean balanced(JsonNode doc, Set<String> live) {
        int fragments = doc.path("fragments").size();
        double replicaMean = fragments * 3.0 / live.size();
        double leaderMean = fragments * 1.0 / live.size();
        for (JsonNode n : doc.path("nodes")) {
            if (live.contains(n.path("id").asText())
                    && (Math.abs(n.path("replicas").asInt() - replicaMean) > 1
                            || Math.abs(n.path("leaders").asInt() - leaderMean) > 1)) {
                return false;
            }
        }
        for (JsonNode f : doc.path("fragments")) {
            List<String> replicas = new ArrayList<>();
            f.path("replicas").forEach(r -> replicas.add(r.asText()));
            if (replicas.size() != 3
                    || !live.containsAll(replicas)
                    || f.path("leader").isNull()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void nodesJoinDieAndDrainUnderLoad() throws Exception {
        Workload load = new Workload(client, at, 2, 2, ITEMS, 30_000);
        load.start();
        timeline.event("load started");
        Map<String, String> figures = new HashMap<>();
        HaReport report;
        try {
            timeline.event("first AT and TCC commits after "
                    + load.awaitFirstCommits(Duration.ofSeconds(60)).toMillis() + " ms");
            Thread.sleep(2_000); // the load runs before the first join
            Set<String> live = new java.util.TreeSet<>(List.of(nodeId(0), nodeId(1), nodeId(2)));
            for (int i = 0; i < 2; i++) {
                long joinStart = System.nanoTime();
                int k = cluster.join();
                live.add(nodeId(k));
                timeline.event("node-" + k + " started with --join and added ("
                        + HaReport.ms(System.nanoTime() - joinStart) + ")");
                long took = await(
                        "node-" + k + " holds its share of replicas and leaders",
                        Duration.ofSeconds(60),
                        doc -> balanced(doc, live));
                figures.put("join of node-" + k + ": share reached after", HaReport.ms(took));
            }
            cluster.kill9(4);
            live.remove(nodeId(4));
            timeline.event("kill -9 node-4, left down");
            long repaired = await(
                    "every fragment back at 3 replicas on live nodes",
                    Duration.ofMillis(DOWN_AFTER_MS + 60_000),
                    doc -> balanced(doc, live));
            figures.put(
                    "repair after kill -9 (node-down-after " + DOWN_AFTER_MS / 1000 + " s): back at 3 replicas after",
                    HaReport.ms(repaired));
            assertThat(repaired)
                    .as("nothing replaced before the down time")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(DOWN_AFTER_MS).toNanos());

            var drain = cluster.post(
                    0, "/api/v1/nodes/drain", "node=" + cluster.node(1).raftAddress());
            assertThat(drain.statusCode()).as(drain.body()).isEqualTo(200);
            timeline.event("drain node-1 (a node the client sends to)");
            String drained = nodeId(1);
            long emptied = await("node-1 holds no replica and leads nothing", Duration.ofSeconds(90), doc -> {
                for (JsonNode n : doc.path("nodes")) {
                    if (n.path("id").asText().equals(drained)) {
                        return n.path("replicas").asInt() == 0
                                && n.path("leaders").asInt() == 0;
                    }
                }
                return false;
            });
            figures.put("drain of node-1 under load: empty after", HaReport.ms(emptied));
            // node-1 was one of the meta group's founding voters and node-4 one that joined: the cluster map's own
            // group leaves both (3 voters, all on live members that stay)
            String dead = nodeId(4);
            long metaMoved = await("the meta group left node-1 and node-4", Duration.ofSeconds(60), doc -> {
                List<String> voters = new ArrayList<>();
                doc.path("metaVoters").forEach(v -> voters.add(v.asText()));
                return voters.size() == 3
                        && !voters.contains(drained)
                        && !voters.contains(dead)
                        && live.containsAll(voters);
            });
            figures.put("meta group off the drained and the dead node after", HaReport.ms(metaMoved));

            // a spike: 300 transactions held open on node-0 (over 50 per fragment) make new fragments; once they
            // end, the calm retires the extra fragments again (they are dropped when empty)
            List<String> held = new ArrayList<>();
            try (RawTm tm = new RawTm(cluster.node(0).host(), cluster.node(0).port(), Duration.ofSeconds(10))) {
                for (int i = 0; i < 300; i++) {
                    held.add(tm.begin(120_000, "placement-spike"));
                }
                long grew = await(
                        "a spike of 300 open transactions created a fragment",
                        Duration.ofSeconds(60),
                        d -> d.path("fragments").size() > 8);
                figures.put(
                        "spike of 300 open transactions (grow-above 50): first new fragment after", HaReport.ms(grew));
                for (String xid : held) {
                    tm.commit(xid);
                }
            }
            long retired = await(
                    "the calm retired and dropped the extra fragments",
                    Duration.ofSeconds(90),
                    d -> d.path("fragments").size() == 8);
            figures.put(
                    "calm after the spike (retire-after-calm 5 s): back to 8 fragments after", HaReport.ms(retired));
            JsonNode doc = placement(2);
            long moves = 0;
            for (JsonNode op : doc.path("operators")) {
                moves += op.path("outcome").asText().equals("SUCCEEDED") ? 1 : 0;
            }
            figures.put("placement operators that succeeded (joins, repair, drain, balance)", String.valueOf(moves));
            Thread.sleep(2_000); // the load runs on the 8 fragments left after the retirement
        } finally {
            load.stop(Duration.ofSeconds(90));
            timeline.event("load stopped");
        }
        cluster.restart(4);
        timeline.event("node-4 restarted (its replaced replicas are deleted)");
        List<TxRecord> records = new ArrayList<>(load.records());
        report = new HaReport(getClass().getSimpleName(), timeline, records, load.workers())
                .setup("client", "Seata " + client.clientVersion() + ", static grouplist of node-0..2")
                .setup(
                        "cluster",
                        "loopback, 3 then 5 node processes, 8 fragments, node-down-after " + DOWN_AFTER_MS / 1000
                                + " s");
        figures.forEach(report::check);
        try {
            report.check(
                    "failed application transactions",
                    String.valueOf(report.failures().size()));
            if (!report.failures().isEmpty()) {
                report.problem(
                        report.failures().size() + " application transactions failed: " + report.failuresByClass());
            }
            Verification.runOnPlacedCluster(
                    report, cluster, raw, (long) ITEMS * UNITS_PER_ITEM, Duration.ofSeconds(90));
        } finally {
            report.write(getClass().getSimpleName());
        }
        assertThat(report.problems())
                .as("problems (report in target/chaos/%s.md)", getClass().getSimpleName())
                .isEmpty();
    }
}
