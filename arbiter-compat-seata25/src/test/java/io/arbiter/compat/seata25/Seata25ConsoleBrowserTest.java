package io.arbiter.compat.seata25;

import static io.arbiter.compat.client.TccLedger.Phase.COMMIT;
import static io.arbiter.compat.client.TccParticipant.ACTION_A;
import static io.arbiter.server.ConsolePages.screenshot;
import static io.arbiter.server.ConsolePages.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccParticipant;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.ha.LoopbackNetwork;
import io.arbiter.server.Chromium;
import io.arbiter.server.ConsolePages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web console in a real headless Chromium against three real node processes (four fragments, a console user)
 * while the real Seata 2.5 client runs TCC transactions on them: the operator logs in, the overview's charts fill
 * with the client's load, the transactions of one name are filtered and one is opened; a TCC commit whose
 * participant keeps failing is found, its retries are stopped from the UI (the participant is then no longer
 * called), started again once the participant recovers, and it commits; the Cluster page shows a node killed with
 * SIGKILL as unreachable within seconds and reachable again after its restart, while the client's load goes on.
 * Screenshots go to {@code target/webconsole/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class Seata25ConsoleBrowserTest {
    private static final String SECRET = "SeataSecretKey0c382ef121d778043159209298fd40bf3850a017";
    private static final String LOAD_NAME = "console-load";
    private static final String STUCK_NAME = "console-stuck-order";
    private final TccLedger ledger = TccLedger.get();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger committed = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> loadErrors = new ConcurrentLinkedQueue<>();
    private final List<Thread> load = new ArrayList<>();
    private ArbiterCluster cluster;
    private CompatClient client;
    private TccParticipant tcc;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        Chromium.ensureInstalled();
        cluster = ArbiterCluster.start(
                "console-browser",
                LoopbackNetwork.create(3),
                Discovery.STATIC_GROUPLIST,
                Map.of(
                        "arbiter.fragments",
                        "4",
                        "arbiter.retry-backoff-ms",
                        "200",
                        "arbiter.max-retry-backoff-ms",
                        "400",
                        "console.user.username",
                        "seata",
                        "console.user.password",
                        "s3cret",
                        "seata.security.secretKey",
                        SECRET));
        client = new Seata25Client();
        client.init(cluster);
        tcc = client.tcc();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(this::tccLoad, "console-browser-load-" + i);
            t.start();
            load.add(t);
        }
        browser = Chromium.start(Files.createDirectories(Path.of("target", "chromium-profiles")));
    }

    @AfterAll
    void stop() throws Exception {
        running.set(false);
        if (browser != null) {
            browser.quit();
        }
        for (Thread t : load) {
            t.join(30_000);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The client's load: TCC transactions, one branch each, begun and committed through the real client. A try that
     * fails (its register failed while a node was down) rolls the transaction back, as {@code @GlobalTransactional}
     * does: otherwise its XID stays bound to the thread and every later begin there fails with "Global transaction
     * already exists" (a full run's load stopped so).
     */
    private void tccLoad() {
        while (running.get()) {
            client.unbind();
            try {
                GlobalTx tx = client.begin(LOAD_NAME, 30_000);
                try {
                    tcc.tryA("load-" + UUID.randomUUID());
                } catch (Exception e) {
                    rollBackAfter(tx, e);
                    throw e;
                }
                String status = tx.commit();
                if (Set.of("Committed", "Finished").contains(status)) {
                    committed.incrementAndGet();
                } else {
                    loadErrors.add(tx.xid() + " ended " + status);
                }
            } catch (Exception e) {
                if (running.get()) {
                    loadErrors.add(e.toString()); // e.g. while a node is killed; counted, not hidden
                    pauseAfterError();
                }
            }
        }
    }

    private static void rollBackAfter(GlobalTx tx, Exception cause) {
        try {
            tx.rollback();
        } catch (Exception r) {
            cause.addSuppressed(r);
        }
    }

    /**
     * A failed request can fail again at once (the killed node's address, before the client drops it): without a
     * pause the load spun and its error list filled the test JVM's heap (a full run ran out of memory).
     */
    private static void pauseAfterError() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where the load threads are (printed when the load does not go on). */
    private String loadStacks() {
        StringBuilder out = new StringBuilder();
        for (Thread t : load) {
            out.append(t.getName()).append(' ').append(t.getState()).append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                out.append("    at ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    private String base() {
        return "http://" + cluster.node(0).host() + ":" + cluster.node(0).httpPort();
    }

    private String nodeId(int k) {
        return cluster.node(k).host() + "_" + cluster.node(k).raftPort();
    }

    private String statusShown() {
        return browser.findElement(By.id("tx-status-value")).getText();
    }

    private WebElement nodeRow(String id) {
        return browser.findElements(By.cssSelector("#nodes-table tbody tr")).stream()
                .filter(r -> r.getText().contains(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anOperatorFindsStopsAndRestartsAStuckCommitAndSeesANodeDieUnderTheClientsLoad() throws Exception {
        ConsolePages.login(browser, base(), "seata", "s3cret");
        WebElement throughput = waitFor(browser, By.id("chart-throughput"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Integer.parseInt(throughput.getAttribute("data-points")) >= 3
                        && Double.parseDouble(throughput.getAttribute("data-max")) > 0);
        assertThat(committed.get())
                .as("the client's load runs; errors: %s", loadErrors)
                .isPositive();
        screenshot(browser, "seata25-overview");

        // a commit whose participant keeps failing: the coordinator retries it
        String tag = "console-stuck-" + UUID.randomUUID().toString().substring(0, 8);
        ledger.failCommits(ACTION_A, tag, Integer.MAX_VALUE);
        GlobalTx stuck = client.begin(STUCK_NAME, 60_000);
        tcc.tryA(tag);
        assertThat(stuck.commit()).isIn("Committing", "CommitRetrying");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.count(ACTION_A, COMMIT, tag) >= 2);

        // transactions: filter by the transaction's name among the load's, open it
        browser.get(base() + "/console/#/transactions");
        waitFor(browser, By.id("tx-transactionName")).sendKeys(STUCK_NAME);
        browser.findElement(By.id("tx-withBranch")).click();
        browser.findElement(By.id("tx-search")).click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("tx-total")).getText().contains("1 transaction(s)"));
        List<WebElement> links = browser.findElements(By.cssSelector("#tx-table a.tx-link"));
        assertThat(links).extracting(WebElement::getText).containsExactly(stuck.xid());
        screenshot(browser, "seata25-transactions");
        links.get(0).click();
        WebElement branches = waitFor(browser, By.id("branch-table"));
        assertThat(branches.getText()).contains("TCC");
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> statusShown().contains("CommitRetrying"));

        // stop its retries from the UI: the participant is no longer called
        browser.findElement(By.cssSelector("#tx-ops [data-op='globalSession/stopGlobalSession']"))
                .click();
        assertThat(waitFor(browser, By.id("confirm-text")).getText()).contains(stuck.xid());
        browser.findElement(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> statusShown().contains("StopCommitOrCommitRetry"));
        Thread.sleep(500); // a call already on its way may still arrive
        int callsWhenStopped = ledger.count(ACTION_A, COMMIT, tag);
        Thread.sleep(2_000);
        assertThat(ledger.count(ACTION_A, COMMIT, tag))
                .as("no commit call while stopped")
                .isEqualTo(callsWhenStopped);
        screenshot(browser, "seata25-stopped");

        // the participant recovers; start the retries from the UI: it commits
        ledger.failCommits(ACTION_A, tag, 0);
        browser.findElement(By.cssSelector("#tx-ops [data-op='globalSession/startGlobalSession']"))
                .click();
        waitFor(browser, By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> Set.of("Committed", "Finished").contains(stuck.status()));
        assertThat(ledger.count(ACTION_A, COMMIT, tag)).isEqualTo(callsWhenStopped + 1);
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("tx-gone")).isDisplayed());

        // the Cluster page: a node killed with SIGKILL shows unreachable within seconds, reachable after its restart
        browser.get(base() + "/console/#/cluster");
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> browser.findElements(By.cssSelector("#nodes-table tbody tr"))
                                        .size()
                                == 3
                        && browser.findElements(By.cssSelector("#fragments-table tbody tr"))
                                        .size()
                                == 4);
        String victim = nodeId(2);
        assertThat(nodeRow(victim).getText()).contains("reachable").doesNotContain("unreachable");
        cluster.kill9(2);
        long killedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> nodeRow(victim).getText().contains("unreachable"));
        long shownMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("console: node %s killed, shown unreachable after %d ms%n", victim, shownMs);
        screenshot(browser, "seata25-cluster-node-down");
        cluster.restart(2);
        long restartedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> !nodeRow(victim).getText().contains("unreachable"));
        System.out.printf(
                "console: node %s restarted, shown reachable after %d ms%n",
                victim, (System.nanoTime() - restartedAt) / 1_000_000);
        screenshot(browser, "seata25-cluster-node-back");

        int afterRestart = committed.get();
        // 60 s: a load request in flight to the killed node waits out the Seata client's 30 s TM timeout first
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> committed.get() >= afterRestart + 20);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    String.format(
                            "the load did not go on after the restart (%d commits then, %d now); last errors %s;"
                                    + " load threads:%n%s%nnode logs:%n%s",
                            afterRestart,
                            committed.get(),
                            loadErrors.stream()
                                    .skip(Math.max(0, loadErrors.size() - 10))
                                    .toList(),
                            loadStacks(),
                            cluster.logTails(40)),
                    e);
        }
        System.out.printf(
                "console: 20 load commits %d ms after the restart; %d committed, %d failed or refused (node kill"
                        + " included): %s%n",
                (System.nanoTime() - restartedAt) / 1_000_000,
                committed.get(),
                loadErrors.size(),
                loadErrors.stream().limit(5).toList());
    }
}
