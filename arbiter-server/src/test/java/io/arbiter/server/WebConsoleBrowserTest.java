package io.arbiter.server;

import static io.arbiter.server.ConsolePages.screenshot;
import static io.arbiter.server.ConsolePages.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web console in a real headless Chromium against a real node with four fragments and a console user, with
 * transactions made over the Seata protocol: log in, the overview's charts fill with live data, transactions are
 * filtered by XID and one is opened with its branches, a held lock shows on the locks page, a stuck commit's retries
 * are stopped from the UI through the confirm dialog (cancel first: nothing happens) and the server says so, and
 * started again once its resource manager recovers, after which it commits; an
 * anonymous browser sees only the login and cannot run operations. Screenshots go to {@code target/webconsole/}.
 */
class WebConsoleBrowserTest {
    private static final String DB = "jdbc:postgresql://db/browser";
    private static final String TCC = "tcc-browser";

    @TempDir
    static Path dataDir;

    @TempDir
    static Path profiles;

    static ArbiterNode node;
    static ConsoleHttp http;
    static ChromeDriver browser;
    static RawSeataClient tm;
    static RawSeataClient atRm;
    static RawSeataClient tccRm;
    static final AtomicBoolean running = new AtomicBoolean(true);
    static final AtomicInteger committed = new AtomicInteger();
    static final AtomicBoolean rmRecovered = new AtomicBoolean();
    static Thread load;
    static Thread failingRm;

    @BeforeAll
    static void start() throws Exception {
        Chromium.ensureInstalled();
        node = TestNodes.start(
                dataDir.resolve("node"),
                Map.of(
                        "arbiter.fragments",
                        "4",
                        "console.user.username",
                        "seata",
                        "console.user.password",
                        "s3cret",
                        "seata.security.secretKey",
                        ConsoleApiTest.SECRET,
                        "arbiter.rm-call-timeout-ms",
                        "1000",
                        // the raw clients below live for the whole class and do not ping as Seata clients do
                        "arbiter.read-idle-ms",
                        "600000"));
        http = new ConsoleHttp(node.httpPort()).login("seata", "s3cret");
        tm = RawSeataClient.tm(node.port());
        atRm = RawSeataClient.rm(node.port(), DB, "2.5.0");
        tccRm = RawSeataClient.rm(node.port(), TCC, "2.5.0");
        load = new Thread(WebConsoleBrowserTest::emptyTransactions, "browser-test-load");
        load.start();
        browser = Chromium.start(profiles);
    }

    @AfterAll
    static void stop() throws Exception {
        running.set(false);
        if (browser != null) {
            browser.quit();
        }
        if (load != null) {
            load.join(10_000);
        }
        if (failingRm != null) {
            failingRm.join(10_000);
        }
        for (AutoCloseable c : new AutoCloseable[] {tm, atRm, tccRm, node}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Load for the charts: empty transactions begun and committed on their own connection. */
    private static void emptyTransactions() {
        try (RawSeataClient client = RawSeataClient.tm(node.port())) {
            while (running.get()) {
                GlobalBeginResponse b = (GlobalBeginResponse) client.call(new GlobalBeginRequest(60_000, "load"));
                client.call(new GlobalCommitRequest(b.xid()));
                committed.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (Exception e) {
            if (running.get()) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String begin(String name) throws Exception {
        GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(300_000, name));
        assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
        return begin.xid();
    }

    private static long register(RawSeataClient rm, String xid, BranchType type, String resource, String lockKey)
            throws Exception {
        BranchRegisterResponse r =
                (BranchRegisterResponse) rm.call(new BranchRegisterRequest(xid, type, resource, lockKey, null));
        assertThat(r.resultCode()).as(r.msg()).isEqualTo(ResultCode.Success);
        return r.branchId();
    }

    /** A TCC commit whose resource manager keeps failing: the transaction retries phase two until stopped. */
    private static String stuckCommit() throws Exception {
        String xid = begin("stuck-order");
        register(tccRm, xid, BranchType.TCC, TCC, null);
        tm.send(new GlobalCommitRequest(xid));
        failingRm = new Thread(
                () -> {
                    try {
                        while (running.get()) {
                            Frame call = tccRm.readWithin(200);
                            if (call != null && call.body() instanceof BranchCommitRequest req) {
                                tccRm.sendFrame(Frame.responseTo(
                                        call,
                                        new BranchCommitResponse(
                                                ResultCode.Success,
                                                TransactionExceptionCode.Unknown,
                                                null,
                                                req.xid(),
                                                req.branchId(),
                                                rmRecovered.get()
                                                        ? BranchStatus.PhaseTwo_Committed
                                                        : BranchStatus.PhaseTwo_CommitFailed_Retryable)));
                            }
                        }
                    } catch (Exception e) {
                        if (running.get()) {
                            throw new IllegalStateException(e);
                        }
                    }
                },
                "browser-test-failing-rm");
        failingRm.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> serverStatus(xid) == GlobalStatus.CommitRetrying.code());
        return xid;
    }

    private static int serverStatus(String xid) throws Exception {
        JsonNode page = http.get(
                        "/api/v1/console/globalSession/query",
                        ConsoleHttp.params("xid", xid, "pageNum", 1, "pageSize", 10))
                .body();
        return page.path("total").asInt() == 0
                ? -1
                : page.path("data").get(0).path("status").asInt();
    }

    private static String base() {
        return "http://127.0.0.1:" + node.httpPort();
    }

    @Test
    void anOperatorWatchesFiltersAndStopsAStuckCommitInTheBrowser() throws Exception {
        String held = begin("place-order");
        long branch = register(atRm, held, BranchType.AT, DB, "stock:42");
        String stuck = stuckCommit();

        ConsolePages.login(browser, base(), "seata", "s3cret");
        // overview: the charts fill with the load's live figures
        WebElement throughput = waitFor(browser, By.id("chart-throughput"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Integer.parseInt(throughput.getAttribute("data-points")) >= 3
                        && Double.parseDouble(throughput.getAttribute("data-max")) > 0);
        WebElement active = browser.findElement(By.id("chart-active"));
        assertThat(Double.parseDouble(active.getAttribute("data-max")))
                .as("held and stuck are live")
                .isPositive();
        assertThat(browser.findElement(By.id("overview-table")).getText()).contains("leader");
        assertThat(committed.get()).isPositive();
        screenshot(browser, "overview");

        // transactions: filter by XID, open the transaction, see its branch
        browser.get(base() + "/console/#/transactions");
        waitFor(browser, By.id("tx-xid")).sendKeys(held);
        browser.findElement(By.id("tx-search")).click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("tx-total")).getText().contains("1 transaction(s)"));
        List<WebElement> links = browser.findElements(By.cssSelector("#tx-table a.tx-link"));
        assertThat(links).hasSize(1);
        assertThat(links.get(0).getText()).isEqualTo(held);
        screenshot(browser, "transactions");
        links.get(0).click();
        WebElement branches = waitFor(browser, By.id("branch-table"));
        assertThat(browser.findElement(By.id("tx-xid")).getText()).isEqualTo(held);
        assertThat(branches.getText()).contains(String.valueOf(branch), "AT", "Registered", DB);

        // locks: the held row, and filters
        browser.get(base() + "/console/#/locks");
        waitFor(browser, By.id("lock-tableName")).sendKeys("stock");
        browser.findElement(By.id("lock-pk")).sendKeys("42");
        browser.findElement(By.id("lock-search")).click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("lock-table")).getText().contains(held));
        assertThat(browser.findElement(By.id("lock-table")).getText()).contains("stock", "42", String.valueOf(branch));
        screenshot(browser, "locks");

        // the stuck commit: cancel the dialog (nothing happens), then confirm: retries stop on the server
        browser.get(base() + "/console/#/transactions/" + stuck);
        waitFor(browser, By.id("tx-status-value"));
        assertThat(browser.findElement(By.id("tx-status-value")).getText()).contains("CommitRetrying");
        WebElement stop = browser.findElement(By.cssSelector("#tx-ops [data-op='globalSession/stopGlobalSession']"));
        stop.click();
        waitFor(browser, By.id("confirm-cancel")).click();
        Thread.sleep(500);
        assertThat(serverStatus(stuck)).as("cancelled: nothing done").isEqualTo(GlobalStatus.CommitRetrying.code());
        browser.findElement(By.cssSelector("#tx-ops [data-op='globalSession/stopGlobalSession']"))
                .click();
        WebElement ok = waitFor(browser, By.id("confirm-ok"));
        assertThat(browser.findElement(By.id("confirm-text")).getText()).contains(stuck);
        screenshot(browser, "confirm");
        ok.click();
        await().atMost(Duration.ofSeconds(10)).until(() -> serverStatus(stuck) == 19); // StopCommitOrCommitRetry
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() ->
                        browser.findElement(By.id("tx-status-value")).getText().contains("StopCommitOrCommitRetry"));
        screenshot(browser, "transaction");

        // the resource manager recovers: start retrying from the UI, and the transaction commits
        rmRecovered.set(true);
        browser.findElement(By.cssSelector("#tx-ops [data-op='globalSession/startGlobalSession']"))
                .click();
        waitFor(browser, By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> serverStatus(stuck) == -1); // ended
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("tx-gone")).isDisplayed());
        assertThat(((io.arbiter.protocol.message.GlobalStatusResponse)
                                tm.call(new io.arbiter.protocol.message.GlobalStatusRequest(stuck)))
                        .globalStatus())
                .isIn(GlobalStatus.Committed, GlobalStatus.Finished);

        browser.get(base() + "/console/#/cluster");
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElements(By.cssSelector("#fragments-table tbody tr"))
                                .size()
                        == 4);
        assertThat(browser.findElement(By.id("nodes-table")).getText()).contains("reachable", "leads 4 fragment(s)");
        screenshot(browser, "cluster");
    }

    @Test
    void anAnonymousBrowserSeesTheLoginAndCannotOperate() throws Exception {
        String xid = begin("anonymous-target");
        register(atRm, xid, BranchType.AT, DB, "anon:1");
        ChromeDriver anonymous = Chromium.start(profiles);
        try {
            anonymous.get(base() + "/console/#/transactions/" + xid);
            waitFor(anonymous, By.id("login-form"));
            assertThat(anonymous.findElements(By.cssSelector("[data-op]"))).isEmpty();
            Object status = ((JavascriptExecutor) anonymous)
                    .executeAsyncScript(
                            "const done = arguments[arguments.length - 1];"
                                    + "fetch('/api/v1/console/globalSession/forceDeleteGlobalSession?xid='"
                                    + " + encodeURIComponent(arguments[0]), {method: 'DELETE'}).then(r => done(r.status));",
                            xid);
            assertThat(((Number) status).intValue()).isEqualTo(401);
            waitFor(anonymous, By.id("login-username")).sendKeys("seata");
            anonymous.findElement(By.id("login-password")).sendKeys("wrong");
            anonymous.findElement(By.id("login-submit")).click();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> anonymous
                            .findElement(By.id("login-error"))
                            .getText()
                            .contains("Login failed"));
            screenshot(anonymous, "login");
            assertThat(serverStatus(xid)).as("still live").isEqualTo(GlobalStatus.Begin.code());
        } finally {
            anonymous.quit();
        }
    }
}
