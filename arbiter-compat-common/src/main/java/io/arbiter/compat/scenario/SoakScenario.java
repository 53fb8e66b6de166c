package io.arbiter.compat.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Inventory;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.ChaosSettings;
import io.arbiter.compat.ha.HaReport;
import io.arbiter.compat.ha.Timeline;
import io.arbiter.compat.ha.TxRecord;
import io.arbiter.compat.ha.Verification;
import io.arbiter.compat.server.Settings;
import io.arbiter.compat.soak.ChaosEvents;
import io.arbiter.compat.soak.ClusterOps;
import io.arbiter.compat.soak.LoggedInClientView;
import io.arbiter.compat.soak.MixedLoad;
import io.arbiter.compat.soak.SoakChecks;
import io.arbiter.compat.soak.SoakNetwork;
import io.arbiter.compat.soak.SoakReport;
import io.arbiter.compat.soak.SoakSettings;
import io.arbiter.compat.soak.SoakTx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The long soak ({@code bin/chaos --soak MINUTES}; docs/RELIABILITY.md "Soak"): three Arbiter node processes with
 * {@code chaos.soak.fragments} fragments and automatic placement, a mixed load of AT, TCC and XA transactions from
 * the real Seata client ({@link MixedLoad}, some rolled back on purpose) for {@code chaos.soak.minutes}, and seeded
 * random faults one at a time ({@link ChaosEvents}: kill -9 and restart, leader transfer, replica move, and a
 * partition where network namespaces work). Afterwards, with the load stopped and every node up, every decision is
 * checked ({@link Verification} for AT, TCC, the nodes and catch-up; {@link SoakChecks} for XA, unasked decisions
 * and the console's view); a failed check fails the test. Failed application transactions are counted by class,
 * not failed on: faults make the client fail some. The report goes to {@code target/chaos/<class>.md}.
 *
 * <p>Without {@code -Dchaos.soak.minutes} (greater than 0) the class is skipped before anything starts, so the
 * default build runs nothing of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SoakScenario {
    private static final int UNITS_PER_ITEM = 1_000_000;
    private static final int NODES = 3;

    private final SoakSettings settings = SoakSettings.fromSystemProperties();
    private final Timeline timeline = new Timeline();
    private SoakNetwork network;
    private CompatPostgres pg;
    private ArbiterCluster cluster;
    private ClusterOps ops;
    private CompatClient client;
    private DataSource rawAt;
    private DataSource rawXa;
    private DataSource at;
    private DataSource xa;

    /** The client line under test (a new, uninitialised facade). */
    protected abstract CompatClient newClient();

    private Map<String, String> serverSettings() {
        return Settings.merge(
                Settings.merge(
                        Map.of("arbiter.fragments", String.valueOf(settings.fragments())), ClusterOps.consoleUser()),
                ChaosSettings.serverSettings());
    }

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(
                settings.enabled(), "the soak runs only when asked: -Dchaos.soak.minutes=M (bin/chaos --soak M)");
        timeline.event("soak: " + settings.describe());
        network = SoakNetwork.create(settings, NODES);
        timeline.event("network: " + network.network().describe()
                + (network.note().isEmpty() ? "" : " (" + network.note() + ")"));
        pg = CompatPostgres.start();
        rawAt = pg.createDatabase("soak_at");
        Inventory.create(rawAt, settings.items(), UNITS_PER_ITEM);
        rawXa = pg.createDatabase("soak_xa");
        Inventory.create(rawXa, settings.items(), UNITS_PER_ITEM);
        cluster = ArbiterCluster.start("soak", network.network(), settings.discovery(), serverSettings());
        ops = new ClusterOps(cluster);
        LoggedInClientView view = new LoggedInClientView(cluster);
        client = newClient();
        client.init(view);
        at = client.atDataSource(rawAt);
        xa = client.xaDataSource(rawXa);
        timeline.event(
                "cluster up; client " + client.clientVersion() + " with " + ClientSettings.systemProperties(view));
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
    void mixedLoadUnderRandomFaults() throws Exception {
        ChaosEvents chaos = new ChaosEvents(cluster, ops, settings, timeline, network.partitions());
        assertThat(chaos.awaitSettled("the start"))
                .as("the new cluster settles")
                .isPositive();
        MixedLoad load = new MixedLoad(client, at, xa, settings);
        long loadStart = System.nanoTime();
        long loadEnd;
        load.start();
        timeline.event("load started");
        try {
            long end = loadStart + (long) (settings.minutes() * 60e9);
            chaos.runUntil(end);
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        } finally {
            loadEnd = System.nanoTime();
            load.stop(Duration.ofSeconds(120));
            timeline.event("load stopped");
        }
        List<SoakTx> records = load.records();
        HaReport checks = new HaReport(
                getClass().getSimpleName(),
                timeline,
                records.stream().map(SoakTx::toTxRecord).toList(),
                settings.workers());
        SoakReport report = new SoakReport(
                        getClass().getSimpleName(),
                        timeline,
                        records,
                        chaos.events(),
                        checks,
                        loadStart,
                        loadEnd,
                        settings.workers())
                .setup("run", settings.describe())
                .setup(
                        "repeat",
                        "bin/chaos --soak " + settings.minutes() + " -Dchaos.soak.seed=" + settings.seed()
                                + " (the same events and targets; their timing follows the machine)")
                .setup("client", "Seata " + client.clientVersion() + ", " + settings.discovery())
                .setup(
                        "cluster",
                        cluster.network().describe() + ", " + NODES + " node processes, server defaults but "
                                + serverSettings().keySet())
                .setup("partitions", network.partitions() ? "on (network namespaces)" : network.note());
        try {
            chaos.problems().forEach(checks::problem);
            // as long as Seata's server may take to end a transaction whose XA branch answers XAER_NOTA (it counts
            // such a branch done once begin + timeout + max(60 s, timeout) have passed), plus a retry
            Duration settle =
                    Duration.ofMillis(settings.txTimeoutMs() + Math.max(60_000L, settings.txTimeoutMs()) + 30_000L);
            long unitsPutIn = (long) settings.items() * UNITS_PER_ITEM;
            checks.check(
                    "failed application transactions (counted, not a failure of the soak)",
                    records.stream()
                                    .filter(r -> r.ending() == SoakTx.Ending.FAILED)
                                    .count() + " (" + report.failuresByClass() + ")");
            for (TxRecord.Kind kind : TxRecord.Kind.values()) {
                if (records.stream().anyMatch(r -> r.kind() == kind)
                        && records.stream().noneMatch(r -> r.kind() == kind && r.ending() == SoakTx.Ending.COMMITTED)) {
                    checks.problem("no " + kind + " transaction committed in the whole run");
                }
            }
            Verification.run(checks, cluster, client, rawAt, unitsPutIn, settle);
            SoakChecks.xa(checks, records, rawXa, unitsPutIn, settle);
            SoakChecks.nothingAppliedUnasked(
                    checks, records, rawAt, rawXa, TccLedger.get().allCalls());
            SoakChecks.consoleEmpty(checks, ops, 0);
        } finally {
            report.write(settings);
        }
        assertThat(checks.problems())
                .as("problems (report in target/chaos/%s.md)", getClass().getSimpleName())
                .isEmpty();
    }
}
