package io.arbiter.server;

import static io.arbiter.server.ConsolePages.screenshot;
import static io.arbiter.server.ConsolePages.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console's cluster-wide views in a real headless Chromium: on three nodes with two fragments, the overview
 * lists every node's fragments (fetched by the node the browser talks to), the Cluster page shows the three nodes
 * reachable and the fragments with their replicas and leaders, and a leader transfer made there (confirmed in the
 * dialog) moves the leadership on the servers; a stopped node shows as unreachable within seconds and reachable
 * again after its restart. The placement part lists the nodes with their replicas and leaders, drains a node when
 * confirmed (its replicas move away; the operators show) and undrains it. A node without a console user shows
 * everything read-only.
 */
class WebConsoleClusterBrowserTest {
    @TempDir
    Path dataDir;

    @TempDir
    Path profiles;

    private static JsonNode fragments(ConsoleHttp http) throws Exception {
        ConsoleHttp.Answer a = http.get("/api/v1/fragments", Map.of());
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body();
    }

    private static WebElement nodeRow(ChromeDriver browser, String id) {
        return browser.findElements(By.cssSelector("#nodes-table tbody tr")).stream()
                .filter(r -> r.getText().contains(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theClusterPageShowsEveryNodeAndMovesALeaderWhenConfirmed() throws Exception {
        // the operator moves leaders by hand here: automatic placement (tested below) would move them back
        List<ArbiterNode> nodes = new java.util.ArrayList<>(TestNodes.startCluster(
                dataDir,
                3,
                Map.of(
                        "arbiter.fragments",
                        "2",
                        "console.user.username",
                        "seata",
                        "console.user.password",
                        "s3cret",
                        "seata.security.secretKey",
                        ConsoleApiTest.SECRET,
                        "arbiter.placement.enabled",
                        "false")));
        ChromeDriver browser = null;
        try {
            ArbiterNode entry = nodes.get(0);
            ConsoleHttp http = new ConsoleHttp(entry.httpPort()).login("seata", "s3cret");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode doc = fragments(http);
                assertThat(doc.path("replicated").asBoolean()).isTrue();
                for (JsonNode f : doc.path("fragments")) {
                    assertThat(f.path("leader").isTextual()).isTrue();
                }
            });
            try (RawSeataClient tm = RawSeataClient.tm(entry.port())) {
                for (int i = 0; i < 20; i++) {
                    GlobalBeginResponse b = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "c"));
                    tm.call(new GlobalCommitRequest(b.xid()));
                }
            }
            String base = "http://127.0.0.1:" + entry.httpPort();
            browser = Chromium.start(profiles);
            ConsolePages.login(browser, base, "seata", "s3cret");

            // overview: the node the browser talks to lists every node's fragments
            ChromeDriver b = browser;
            Set<String> ids = nodes.stream().map(n -> n.config().selfId()).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                String table = b.findElement(By.id("overview-table")).getText();
                for (String id : ids) {
                    assertThat(table).contains(id);
                }
                assertThat(table).doesNotContain("no\n");
                assertThat(b.findElements(By.cssSelector("#overview-scope option")))
                        .hasSize(1 + 3 + 2);
            });
            screenshot(browser, "overview-cluster");

            browser.get(base + "/console/#/cluster");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                List<WebElement> rows = b.findElements(By.cssSelector("#nodes-table tbody tr"));
                assertThat(rows).hasSize(3);
                for (WebElement row : rows) {
                    assertThat(row.getText()).contains("reachable").doesNotContain("unreachable");
                }
                assertThat(b.findElements(By.cssSelector("#fragments-table tbody tr")))
                        .hasSize(2);
            });
            JsonNode before = fragments(http).path("fragments").get(0);
            int fragment = before.path("id").asInt();
            String oldLeader = before.path("leader").asText();
            WebElement row = browser.findElements(By.cssSelector("#fragments-table tbody tr"))
                    .get(0);
            assertThat(row.getText()).contains(oldLeader);
            String newLeader = row.findElement(By.cssSelector("select[data-for='transfer-leader']"))
                    .getDomProperty("value");
            assertThat(newLeader).isNotEqualTo(oldLeader).isIn(ids);
            row.findElement(By.cssSelector("button[data-op='transfer-leader']")).click();
            assertThat(waitFor(browser, By.id("confirm-text")).getText()).contains("fragment " + fragment, newLeader);
            screenshot(browser, "cluster-confirm");
            browser.findElement(By.id("confirm-ok")).click();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(fragments(http)
                                    .path("fragments")
                                    .get(0)
                                    .path("leader")
                                    .asText())
                            .isEqualTo(newLeader));
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(b.findElements(By.cssSelector("#fragments-table tbody tr"))
                                    .get(0)
                                    .findElements(By.cssSelector("td"))
                                    .get(1)
                                    .getText())
                            .isEqualTo(newLeader));
            screenshot(browser, "cluster-3-nodes");

            // a node stops: the Cluster page shows it unreachable within seconds, and reachable after its restart
            int victimIndex = 2;
            ArbiterNode victim = nodes.get(victimIndex);
            String victimId = victim.config().selfId();
            victim.close();
            long stoppedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(15))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> assertThat(nodeRow(b, victimId).getText()).contains("unreachable"));
            assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(15));
            screenshot(browser, "cluster-node-down");
            nodes.set(victimIndex, ArbiterNode.start(victim.config()));
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(nodeRow(b, victimId).getText())
                            .contains("reachable")
                            .doesNotContain("unreachable"));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            nodes.forEach(ArbiterNode::close);
        }
    }

    @Test
    void placementShowsNodesAndOperatorsAndDrainsANodeWhenConfirmed() throws Exception {
        List<ArbiterNode> nodes = TestNodes.startCluster(
                dataDir,
                3,
                Map.of(
                        "arbiter.fragments",
                        "2",
                        "console.user.username",
                        "seata",
                        "console.user.password",
                        "s3cret",
                        "seata.security.secretKey",
                        ConsoleApiTest.SECRET));
        ChromeDriver browser = null;
        try {
            ArbiterNode entry = nodes.get(0);
            // not the meta leader: draining that one hands the meta group's leadership on, and the operators it
            // ran (kept by the leader's executor) go with it
            ArbiterNode drained = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> nodes.stream()
                                    .filter(n ->
                                            n.placement().map(p -> p.leading()).orElse(false))
                                    .findFirst()
                                    .flatMap(leader -> nodes.stream()
                                            .filter(n -> n != leader && n != entry)
                                            .findFirst())
                                    .orElse(null),
                            java.util.Objects::nonNull);
            String drainedId = drained.config().selfId();
            String base = "http://127.0.0.1:" + entry.httpPort();
            browser = Chromium.start(profiles);
            ConsolePages.login(browser, base, "seata", "s3cret");
            browser.get(base + "/console/#/cluster");
            ChromeDriver b = browser;
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                List<WebElement> rows = b.findElements(By.cssSelector("#placement-nodes-table tbody tr"));
                assertThat(rows).hasSize(3);
                assertThat(rows)
                        .allMatch(r -> r.getText().contains("up") && r.getText().contains("2"));
            });
            WebElement row = b.findElements(By.cssSelector("#placement-nodes-table tbody tr")).stream()
                    .filter(r -> r.getText().contains(drainedId))
                    .findFirst()
                    .orElseThrow();
            row.findElement(By.cssSelector("button[data-op='drain']")).click();
            assertThat(waitFor(browser, By.id("confirm-text")).getText()).contains(drainedId);
            browser.findElement(By.id("confirm-ok")).click();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(entry.fragments().map().hostedBy(drainedId))
                            .isEmpty());
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                String nodesTable =
                        b.findElement(By.id("placement-nodes-table")).getText();
                assertThat(nodesTable).contains("draining");
                String operators = b.findElement(By.id("operators-table")).getText();
                assertThat(operators).contains("REPAIR", "SUCCEEDED", drainedId);
            });
            screenshot(browser, "cluster-placement-drained");
            b.findElements(By.cssSelector("#placement-nodes-table tbody tr")).stream()
                    .filter(r -> r.getText().contains(drainedId))
                    .findFirst()
                    .orElseThrow()
                    .findElement(By.cssSelector("button[data-op='undrain']"))
                    .click();
            waitFor(browser, By.id("confirm-text"));
            browser.findElement(By.id("confirm-ok")).click();
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(entry.fragments().map().hostedBy(drainedId))
                            .hasSize(2));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            nodes.forEach(ArbiterNode::close);
        }
    }

    @Test
    void aNodeWithoutAConsoleUserIsReadOnlyForEveryone() throws Exception {
        ArbiterNode node = TestNodes.start(dataDir.resolve("open"), Map.of());
        ChromeDriver browser = null;
        try (RawSeataClient tm = RawSeataClient.tm(node.port())) {
            String xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "open-read"))).xid();
            String base = "http://127.0.0.1:" + node.httpPort();
            browser = Chromium.start(profiles);
            browser.get(base + "/console/#/transactions/" + xid);
            assertThat(waitFor(browser, By.id("banner")).getText()).contains("Read-only");
            assertThat(waitFor(browser, By.id("tx-xid")).getText()).isEqualTo(xid);
            assertThat(browser.findElement(By.id("tx-ops-none")).getText()).contains("logged-in user");
            assertThat(browser.findElements(By.cssSelector("[data-op]"))).isEmpty();
            browser.get(base + "/console/#/cluster");
            waitFor(browser, By.id("fragments-table"));
            assertThat(browser.findElements(By.cssSelector("[data-op]"))).isEmpty();
            Object status = browser.executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch('/api/v1/console/globalSession/forceDeleteGlobalSession?xid='"
                            + " + encodeURIComponent(arguments[0]), {method: 'DELETE'}).then(r => done(r.status));",
                    xid);
            assertThat(((Number) status).intValue())
                    .as("the server refuses too")
                    .isEqualTo(403);
            screenshot(browser, "read-only");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            node.close();
        }
    }
}
