package io.arbiter.compat.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Inventory;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.ChaosSettings;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.ha.HaReport;
import io.arbiter.compat.ha.MinorityProbe;
import io.arbiter.compat.ha.NamespaceNetwork;
import io.arbiter.compat.ha.Timeline;
import io.arbiter.compat.ha.TxRecord;
import io.arbiter.compat.ha.Verification;
import io.arbiter.compat.ha.Workload;
import io.arbiter.compat.server.ArbiterEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three Arbiter nodes, each in its own network namespace ({@link NamespaceNetwork}; needs root, and fails, never
 * skips, without it). The leader is cut off from the two other nodes for a while, then the cut is healed:
 * <ul>
 *   <li>the minority commits nothing: a raw TM that keeps trying to begin and commit on the cut-off node is never
 *       answered with success while the cut lasts;</li>
 *   <li>the majority keeps serving: the application (the real Seata client with a grouplist of the two majority
 *       nodes, AT and TCC load) elects a new leader and keeps committing during the cut;</li>
 *   <li>after the heal, the old leader rejoins and catches up, and everything {@link Verification} checks holds
 *       (no acknowledged decision lost, inventory conserved, every branch final).</li>
 * </ul>
 * The figures go to {@code target/chaos/<class>.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PartitionScenario {
    private static final int UNITS_PER_ITEM = 1_000_000;
    /** An acknowledgement from the cut-off node this soon after the cut may be for work replicated before it. */
    private static final Duration CUT_GRACE = Duration.ofSeconds(1);

    private final ChaosSettings settings = ChaosSettings.fromSystemProperties();
    private final Duration partition =
            Duration.ofMillis((long) (1000 * Double.parseDouble(System.getProperty("chaos.partition-s", "10"))));
    private final Timeline timeline = new Timeline();
    private CompatPostgres pg;
    private ArbiterCluster cluster;
    private CompatClient client;
    private DataSource raw;
    private DataSource at;
    private int minority;
    private Set<Integer> majority;
    private ArbiterEndpoint clientView;

    /** The client line under test (a new, uninitialised facade). */
    protected abstract CompatClient newClient();

    @BeforeAll
    void start() throws Exception {
        NamespaceNetwork network = NamespaceNetwork.create(3); // fails with an explanation without root / netns
        timeline.event("network: " + network.describe());
        pg = CompatPostgres.start();
        raw = pg.createDatabase("ha_partition");
        Inventory.create(raw, settings.items(), UNITS_PER_ITEM);
        cluster = ArbiterCluster.start("partition", network, Discovery.STATIC_GROUPLIST, Map.of());
        minority = cluster.awaitLeader(Duration.ofSeconds(30), Set.of());
        majority = IntStream.range(0, cluster.size())
                .filter(k -> k != minority)
                .boxed()
                .collect(Collectors.toSet());
        clientView = cluster.clientView(majority);
        client = newClient();
        client.init(clientView);
        at = client.atDataSource(raw);
        timeline.event("cluster up, leader node-" + minority + " (to be cut off); client " + client.clientVersion()
                + " with " + ClientSettings.systemProperties(clientView));
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

    @Test
    void minorityCommitsNothingMajorityKeepsServing() throws Exception {
        Workload load = new Workload(
                client, at, settings.atWorkers(), settings.tccWorkers(), settings.items(), settings.txTimeoutMs());
        MinorityProbe probe = new MinorityProbe(
                cluster.node(minority).host(), cluster.node(minority).port(), Duration.ofSeconds(2));
        long cut;
        long elected;
        long healed;
        load.start();
        timeline.event("load started");
        try {
            timeline.event("first AT and TCC commits after "
                    + load.awaitFirstCommits(Duration.ofSeconds(60)).toMillis() + " ms");
            Thread.sleep(settings.between().toMillis());
            cut = System.nanoTime();
            cluster.network().isolate(minority);
            timeline.event("node-" + minority + " (leader) cut off from the others");
            probe.start();
            int next = cluster.awaitLeader(Duration.ofSeconds(30), Set.of(minority));
            elected = System.nanoTime();
            timeline.event("node-" + next + " leads the majority, seen " + HaReport.ms(elected - cut)
                    + " after the cut; node-" + minority + " says "
                    + cluster.node(minority)
                            .health(Duration.ofSeconds(1))
                            .map(h -> h.role())
                            .orElse("nothing"));
            Thread.sleep(Math.max(0, (cut + partition.toNanos() - System.nanoTime()) / 1_000_000));
            timeline.event("node-" + minority + " says "
                    + cluster.node(minority)
                            .health(Duration.ofSeconds(1))
                            .map(h -> h.role() + ", serving " + h.serving())
                            .orElse("nothing")
                    + " at the end of the cut");
            probe.requestStop();
            healed = System.nanoTime();
            cluster.network().heal();
            timeline.event("cut healed");
            probe.stop();
            awaitRejoined();
            timeline.event("node-" + minority + " rejoined: " + cluster.health());
            Thread.sleep(settings.between().toMillis());
        } finally {
            load.stop(Duration.ofSeconds(90));
            timeline.event("load stopped");
        }

        HaReport report = new HaReport(getClass().getSimpleName(), timeline, load.records(), load.workers())
                .setup(
                        "client",
                        "Seata " + client.clientVersion() + ", grouplist of the majority nodes "
                                + ClientSettings.systemProperties(clientView))
                .setup(
                        "client settings changed from the defaults",
                        "none but the addresses; global transaction" + " timeout " + settings.txTimeoutMs()
                                + " ms (begin argument)")
                .setup("cluster", cluster.network().describe() + ", server defaults")
                .setup(
                        "run",
                        "leader node-" + minority + " cut off for " + partition.toSeconds() + " s; "
                                + settings.atWorkers() + " AT + " + settings.tccWorkers() + " TCC workers");
        try {
            checkMinority(report, probe.attempts(), cut, healed);
            checkMajority(report, elected, healed);
            Verification.run(
                    report,
                    cluster,
                    client,
                    raw,
                    (long) settings.items() * UNITS_PER_ITEM,
                    Duration.ofMillis(settings.txTimeoutMs() + 60_000L));
        } finally {
            report.write(getClass().getSimpleName());
        }
        assertThat(report.problems())
                .as("problems (report in target/chaos/%s.md)", getClass().getSimpleName())
                .isEmpty();
    }

    private void checkMinority(HaReport report, List<MinorityProbe.Attempt> attempts, long cut, long healed) {
        List<MinorityProbe.Attempt> during = attempts.stream()
                .filter(a -> a.startNs() >= cut + CUT_GRACE.toNanos() && a.endNs() <= healed)
                .toList();
        List<MinorityProbe.Attempt> acknowledged =
                during.stream().filter(MinorityProbe.Attempt::acknowledged).toList();
        report.check(
                "begin+commit attempts on the cut-off node during the cut",
                during.size() + ", acknowledged: "
                        + acknowledged.size() + "; answers: "
                        + during.stream()
                                .map(a -> a.error() == null ? "ok" : shortError(a.error()))
                                .distinct()
                                .limit(3)
                                .toList());
        if (during.isEmpty()) {
            report.problem("the probe made no attempt on the cut-off node during the cut");
        }
        acknowledged.forEach(a -> report.problem("the cut-off node acknowledged begin " + a.xid() + " (commit "
                + a.commitStatus() + ") during the cut"));
    }

    private void checkMajority(HaReport report, long elected, long healed) {
        List<TxRecord> served = report.records().stream()
                .filter(r -> r.committed() && r.startNs() >= elected && r.endNs() <= healed)
                .toList();
        long failed = report.count(r -> !r.committed());
        double seconds = (healed - elected) / 1e9;
        report.check(
                "transactions the majority committed during the cut (begun after its new leader was seen)",
                served.size() + String.format(" in %.1f s", seconds));
        report.check("failed application transactions", String.valueOf(failed));
        report.check(
                "application pause after the cut (until every worker committed a transaction begun after it)",
                HaReport.ms(report.pauseAfter(elected)) + " after the new leader was seen");
        if (served.isEmpty()) {
            report.problem("the majority committed nothing during the cut");
        }
        if (failed > 0) {
            report.problem(failed + " application transactions failed (listed under 'Failed transactions')");
        }
    }

    /** Waits until every node serves and exactly one leads (the old leader has stepped down and rejoined). */
    private void awaitRejoined() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (cluster.health().stream().allMatch(h -> h.map(r -> r.serving()).orElse(false))
                    && cluster.leaders().size() == 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the cluster did not settle within 60 s of the heal: " + cluster.health());
    }

    private static String shortError(String error) {
        return error.length() > 120 ? error.substring(0, 120) + "..." : error;
    }
}
