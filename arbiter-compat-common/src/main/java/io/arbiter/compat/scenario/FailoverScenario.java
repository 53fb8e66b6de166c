package io.arbiter.compat.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Inventory;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.ChaosSettings;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.ha.FailureClass;
import io.arbiter.compat.ha.HaReport;
import io.arbiter.compat.ha.LoopbackNetwork;
import io.arbiter.compat.ha.RawTm;
import io.arbiter.compat.ha.Timeline;
import io.arbiter.compat.ha.TxRecord;
import io.arbiter.compat.ha.Verification;
import io.arbiter.compat.ha.Workload;
import io.arbiter.compat.server.ArbiterProcess;
import io.arbiter.compat.server.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three Arbiter nodes, each in its own JVM on loopback, under a steady load of AT sales and TCC transactions from
 * the real Seata client, while the leader is killed with SIGKILL again and again (and restarted on its data after
 * a while). Asserts after every kill what {@link #checkRun} lists (the surviving nodes serve again within 5 s, no
 * unexplained failure; with {@code -Dchaos.strict=true} no failure at all), and at the end (load stopped, every
 * node up) everything {@link Verification} checks: no lost decision, exact inventory conservation, every branch
 * final, every node caught up. The figures go to {@code target/chaos/<class>.md}.
 *
 * <p>The length comes from {@link ChaosSettings} ({@code -Dchaos.kills=20 -Dchaos.minutes=5 ...}); the defaults
 * are the short version that runs with {@code mvn verify}. {@code bin/chaos} runs the long one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FailoverScenario {
    private static final int UNITS_PER_ITEM = 1_000_000;

    private final ChaosSettings settings = settings();
    private final Timeline timeline = new Timeline();
    private final List<TxRecord> probes = new CopyOnWriteArrayList<>();
    private final ExecutorService probeThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ha-resume-probe");
        t.setDaemon(true);
        return t;
    });
    private Workload load;
    private CompatPostgres pg;
    private ArbiterCluster cluster;
    private CompatClient client;
    private DataSource raw;
    private DataSource at;

    /** The client line under test (a new, uninitialised facade). */
    protected abstract CompatClient newClient();

    /** How the client finds the nodes. */
    protected abstract Discovery discovery();

    /** The run's knobs (called once, at construction): the system properties unless a scenario fixes some. */
    protected ChaosSettings settings() {
        return ChaosSettings.fromSystemProperties();
    }

    /**
     * Server settings on top of the scenario's own (for example {@code arbiter.fragments}); none by default.
     */
    protected Map<String, String> serverSettings() {
        return Map.of();
    }

    private Map<String, String> allServerSettings() {
        return Settings.merge(serverSettings(), ChaosSettings.serverSettings());
    }

    @BeforeAll
    void start() throws Exception {
        timeline.event("settings: " + settings.describe());
        pg = CompatPostgres.start();
        raw = pg.createDatabase("ha_inventory");
        Inventory.create(raw, settings.items(), UNITS_PER_ITEM);
        cluster = ArbiterCluster.start(
                "failover",
                LoopbackNetwork.create(3),
                discovery(),
                Settings.merge(serverSettings(), ChaosSettings.serverSettings()));
        timeline.event("cluster up: " + cluster.network().describe() + "; leader node-"
                + cluster.leader().orElse(-1));
        client = newClient();
        client.init(cluster);
        at = client.atDataSource(raw);
        timeline.event("client " + client.clientVersion() + " up with " + ClientSettings.systemProperties(cluster));
    }

    @AfterAll
    void stop() throws Exception {
        probeThreads.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void leaderKilledRepeatedlyUnderLoad() throws Exception {
        load = new Workload(
                client, at, settings.atWorkers(), settings.tccWorkers(), settings.items(), settings.txTimeoutMs());
        load.start();
        timeline.event("load started");
        long runStart = System.nanoTime();
        try {
            timeline.event("first AT and TCC commits after "
                    + load.awaitFirstCommits(Duration.ofSeconds(60)).toMillis() + " ms");
            runStart = System.nanoTime();
            int kills = 0;
            while (settings.anotherKill(kills, Duration.ofNanos(System.nanoTime() - runStart))) {
                Thread.sleep(settings.between().toMillis());
                killOnce();
                kills++;
            }
            Thread.sleep(settings.between().toMillis());
        } finally {
            load.stop(Duration.ofSeconds(90));
            timeline.event("load stopped");
        }

        List<TxRecord> all = new ArrayList<>(load.records());
        all.addAll(probes);
        HaReport report = new HaReport(getClass().getSimpleName(), timeline, all, load.workers())
                .setup(
                        "client",
                        "Seata " + client.clientVersion() + ", " + discovery() + " "
                                + ClientSettings.systemProperties(cluster))
                .setup(
                        "client settings changed from the defaults",
                        "none but the addresses; global transaction" + " timeout " + settings.txTimeoutMs()
                                + " ms (begin argument)")
                .setup(
                        "cluster",
                        cluster.network().describe() + ", server "
                                + (allServerSettings().isEmpty() ? "defaults" : "defaults but " + allServerSettings()))
                .setup("run", settings.describe() + (settings.strict() ? ", strict" : ""));
        try {
            checkRun(report);
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

    /**
     * Kills the current leader (or a follower, see {@link ChaosSettings#victim}), waits for a leader among the
     * others, leaves the node down a while under load, restarts it.
     */
    private void killOnce() throws Exception {
        int currentLeader = cluster.awaitLeader(Duration.ofSeconds(30), Set.of());
        int victim = switch (settings.victim()) {
            case LEADER -> currentLeader;
            case FOLLOWER -> randomNodeExcept(currentLeader);
            case CLIENT_NODE -> cluster.nodeNamedForThisHost(currentLeader);
            case OTHER_NODE -> randomNodeExcept(cluster.nodeNamedForThisHost(currentLeader));
        };
        long kill = System.nanoTime();
        cluster.kill9(victim);
        CompletableFuture<Long> resumed = CompletableFuture.supplyAsync(() -> firstCommitAfter(kill), probeThreads);
        List<CompletableFuture<Long>> served = new ArrayList<>();
        for (int k = 0; k < cluster.size(); k++) {
            if (k != victim) {
                ArbiterProcess node = cluster.node(k);
                served.add(CompletableFuture.supplyAsync(() -> firstServedBy(node, kill), probeThreads));
            }
        }
        timeline.event("kill -9 node-" + victim + (victim == currentLeader ? " (leader)" : " (follower)"));
        int next = cluster.awaitLeader(Duration.ofSeconds(30), Set.of(victim));
        long elected = System.nanoTime();
        timeline.event("node-" + next + " leads, seen " + HaReport.ms(elected - kill) + " after the kill");
        long restartAt = kill + settings.down().toNanos();
        Thread.sleep(Math.max(0, (restartAt - System.nanoTime()) / 1_000_000));
        long restart = System.nanoTime();
        cluster.restart(victim);
        long serving = System.nanoTime();
        timeline.event("node-" + victim + " restarted, serving after " + HaReport.ms(serving - restart));
        long servedNs = 0;
        for (CompletableFuture<Long> f : served) {
            long t = f.get(60, TimeUnit.SECONDS);
            servedNs = t == 0 || servedNs < 0 ? -1 : Math.max(servedNs, t);
        }
        long resumedNs = resumed.get(60, TimeUnit.SECONDS);
        timeline.kill(
                new Timeline.Kill(victim, kill, next, elected, restart, serving, Math.max(0, servedNs), resumedNs));
    }

    private int randomNodeExcept(int excluded) {
        List<Integer> others = new ArrayList<>();
        for (int k = 0; k < cluster.size(); k++) {
            if (k != excluded) {
                others.add(k);
            }
        }
        return others.get(ThreadLocalRandom.current().nextInt(others.size()));
    }

    /**
     * Sends {@code node} a begin and a commit of an empty transaction directly (a raw TM), again every 50 ms until
     * both succeed; returns when they did, or 0 if not within 60 s.
     */
    private static long firstServedBy(ArbiterProcess node, long kill) {
        while (System.nanoTime() - kill < TimeUnit.SECONDS.toNanos(60)) {
            try {
                RawTm.beginAndCommit(node.host(), node.port(), Duration.ofSeconds(10), 10_000);
                return System.nanoTime();
            } catch (Exception e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * Starts TCC transactions one after another (right away, and again after each failure) until one commits;
     * returns when it did, or 0 if none did within 60 s. Its records count for the durability checks.
     */
    private long firstCommitAfter(long kill) {
        int probe = -1 - timeline.kills().size();
        while (System.nanoTime() - kill < TimeUnit.SECONDS.toNanos(60)) {
            TxRecord r = load.runOnce(TxRecord.Kind.TCC, probe);
            probes.add(r);
            if (r.committed()) {
                return r.endNs();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    /**
     * What the application saw while the leader was being killed. Always: every surviving node served again
     * (begin + commit) within the allowed pause after every kill, the application committed again after every
     * kill, and no application transaction failed for a reason other than the Seata client's own
     * ({@link FailureClass#explained}).
     * With {@code -Dchaos.strict=true} also: no failed application transaction at all, and the application and
     * every one of its workers committed again within the allowed pause.
     */
    private void checkRun(HaReport report) {
        List<TxRecord> failures = report.failures();
        report.check(
                "failed transactions (the application saw an exception)",
                failures.size() + (failures.isEmpty() ? "" : " (" + report.failuresByClass() + ")"));
        List<TxRecord> unexplained = failures.stream()
                .filter(r -> !FailureClass.explained(r, report.records(), report.killsNs()))
                .toList();
        if (!unexplained.isEmpty()) {
            report.problem(unexplained.size() + " application transactions failed for a reason other than the"
                    + " Seata client's own, first: " + unexplained.get(0));
        }
        if (settings.strict() && !failures.isEmpty()) {
            report.problem(
                    failures.size() + " application transactions failed (strict mode): " + report.failuresByClass());
        }
        long committedAt = report.count(r -> r.committed() && r.worker() >= 0 && r.kind() == TxRecord.Kind.AT);
        long committedTcc = report.count(r -> r.committed() && r.worker() >= 0 && r.kind() == TxRecord.Kind.TCC);
        if (committedAt == 0 || committedTcc == 0) {
            report.problem("the load committed too little: AT " + committedAt + ", TCC " + committedTcc);
        }
        long allowed = settings.maxPause().toNanos();
        List<Long> served = report.clusterResumesNs();
        List<Long> resumes = report.resumesNs();
        List<Long> stalls = report.pausesNs();
        for (int i = 0; i < served.size(); i++) {
            if (served.get(i) > allowed) {
                report.problem("kill " + (i + 1) + ": the surviving nodes served a begin + commit only after "
                        + HaReport.ms(served.get(i)) + " (allowed "
                        + settings.maxPause().toMillis() + " ms)");
            }
            if (resumes.get(i) == Long.MAX_VALUE) {
                report.problem("kill " + (i + 1) + ": the application committed nothing within 60 s");
            } else if (settings.strict() && resumes.get(i) > allowed) {
                report.problem("kill " + (i + 1) + ": the application committed a new transaction only after "
                        + HaReport.ms(resumes.get(i)) + " (strict mode)");
            }
            if (settings.strict() && stalls.get(i) > allowed) {
                report.problem("kill " + (i + 1) + ": a worker committed again only after " + HaReport.ms(stalls.get(i))
                        + " (strict mode)");
            }
        }
        String limit = " within " + settings.maxPause().toMillis() + " ms";
        report.check(
                "kills after which every surviving node served again" + limit,
                served.stream().filter(p -> p <= allowed).count() + " of " + served.size());
        report.check(
                "kills after which the application committed a new transaction" + limit,
                resumes.stream().filter(p -> p <= allowed).count() + " of " + resumes.size());
        report.check(
                "kills after which every worker committed again" + limit,
                stalls.stream().filter(p -> p <= allowed).count() + " of " + stalls.size());
    }
}
