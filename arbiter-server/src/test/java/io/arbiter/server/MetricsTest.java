package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real node (two fragments) while real transactions run over the Seata protocol: Seata's
 * {@code seata_transaction} series move by exactly what happened, under Seata's names and labels, and Arbiter's own
 * meters (fragments, phase two, connections, JVM) are there and move.
 */
class MetricsTest {
    private static final String[] APP = {"applicationId", "app", "group", "grp"};

    @TempDir
    static Path dataDir;

    static ArbiterNode node;
    /** Every scrape of a test after its baseline (Seata's summaries and timers restart at each scrape). */
    private final List<MetricsText> scrapes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(
                dataDir,
                Map.of(
                        "arbiter.fragments",
                        "2",
                        "arbiter.max-commit-retry-timeout-ms",
                        "1500",
                        "arbiter.snapshot-threshold",
                        "8"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private MetricsText scrape() throws Exception {
        MetricsText m = MetricsText.scrape(node.httpPort());
        scrapes.add(m);
        return m;
    }

    /** The sum over this test's scrapes of a Seata summary's or timer's {@code count}. */
    private double windowCount(String meter, String status) {
        return scrapes.stream()
                .mapToDouble(m -> m.seata(meter, status, concat(APP, "statistic", "count")))
                .sum();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String begin(RawSeataClient tm, int timeout) throws Exception {
        GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(timeout, "tx"));
        assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
        return begin.xid();
    }

    @Test
    void seataSeriesCountCommitsRollbacksAndTimeoutsExactly() throws Exception {
        MetricsText before = MetricsText.scrape(node.httpPort()); // also starts Seata's windows afresh
        try (RawSeataClient tm = RawSeataClient.tm(node.port())) {
            for (int i = 0; i < 5; i++) {
                GlobalCommitResponse r = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(begin(tm, 60_000)));
                assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Committed);
            }
            for (int i = 0; i < 3; i++) {
                GlobalRollbackResponse r =
                        (GlobalRollbackResponse) tm.call(new GlobalRollbackRequest(begin(tm, 60_000)));
                assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Rollbacked);
            }
            begin(tm, 300); // times out and is rolled back by the coordinator
            AtomicReference<MetricsText> last = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        last.set(scrape());
                        return last.get().seata("counter", "AfterRollbacked", APP)
                                        - before.seata("counter", "AfterRollbacked", APP)
                                == 4;
                    });
            MetricsText after = last.get();

            assertThat(after.seata("counter", "committed", APP) - before.seata("counter", "committed", APP))
                    .isEqualTo(5);
            assertThat(after.seata("counter", "AfterCommitted", APP) - before.seata("counter", "AfterCommitted", APP))
                    .isEqualTo(5);
            assertThat(after.seata("counter", "rollbacked", APP) - before.seata("counter", "rollbacked", APP))
                    .isEqualTo(3); // a timeout is no "rollbacked" in Seata's counters, only AfterRollbacked
            assertThat(after.seata("counter", "active", APP)).isZero();
            assertThat(windowCount("summary", "committed")).isEqualTo(5);
            assertThat(windowCount("timer", "committed")).isEqualTo(5);
            assertThat(windowCount("summary", "rollbacked")).isEqualTo(3);
            assertThat(windowCount("summary", "AfterRollbacked")).isEqualTo(4);

            // Seata's exact exposition: sample name, labels in Seata's order, a value and a timestamp
            assertThat(after.raw()).doesNotContain("seata_transaction_total");
            assertThat(Pattern.compile(
                                    "^seata_transaction\\{applicationId=\"app\",group=\"grp\",meter=\"counter\","
                                            + "role=\"tc\",status=\"committed\"} \\d+\\.0 \\d{13}$",
                                    Pattern.MULTILINE)
                            .matcher(after.raw())
                            .find())
                    .isTrue();
            assertThat(Pattern.compile(
                                    "^seata_transaction\\{applicationId=\"app\",group=\"grp\",meter=\"timer\","
                                            + "role=\"tc\",statistic=\"average\",status=\"committed\"} [0-9.E-]+ \\d{13}$",
                                    Pattern.MULTILINE)
                            .matcher(after.raw())
                            .find())
                    .isTrue();
            assertThat(after.find("seata_transaction"))
                    .allSatisfy(s -> assertThat(s.labels())
                            .containsEntry("role", "tc")
                            .containsKeys("meter", "status", "applicationId", "group"));
            assertThat(after.contentType()).startsWith("text/plain; version=0.0.4");

            // Arbiter's own meters
            assertThat(after.sum("arbiter_transactions_begun_total") - before.sum("arbiter_transactions_begun_total"))
                    .isEqualTo(9);
            assertThat(after.sum("arbiter_transactions_ended_total", "status", "Committed")
                            - before.sum("arbiter_transactions_ended_total", "status", "Committed"))
                    .isEqualTo(5);
            assertThat(after.sum("arbiter_transactions_ended_total", "status", "TimeoutRollbacked")
                            - before.sum("arbiter_transactions_ended_total", "status", "TimeoutRollbacked"))
                    .isEqualTo(1);
            assertThat(after.find("arbiter_fragment_commands_total").stream()
                            .map(s -> s.labels().get("fragment")))
                    .containsExactlyInAnyOrder("0", "1");
            assertThat(after.sum("arbiter_fragment_commands_total") - before.sum("arbiter_fragment_commands_total"))
                    .isGreaterThanOrEqualTo(9 + 8); // a begin and an end each, and the ticks
            double entries = after.sum("arbiter_fragment_entries_total") - before.sum("arbiter_fragment_entries_total");
            assertThat(entries)
                    .as("each entry carries one command or more")
                    .isPositive()
                    .isLessThanOrEqualTo(after.sum("arbiter_fragment_commands_total")
                            - before.sum("arbiter_fragment_commands_total"));
            assertThat(after.sum("arbiter_raft_commit_seconds_count") - before.sum("arbiter_raft_commit_seconds_count"))
                    .isGreaterThanOrEqualTo(17);
            assertThat(after.sum("arbiter_raft_apply_seconds_count")).isPositive();
            assertThat(after.sum("arbiter_fragment_leader", "fragment", "0")).isEqualTo(1);
            assertThat(after.sum("arbiter_requests_total", "route", "local")
                            - before.sum("arbiter_requests_total", "route", "local"))
                    .isEqualTo(17);
            assertThat(after.sum("arbiter_connections", "role", "TM")).isEqualTo(1);
            assertThat(after.sum("arbiter_transactions_live")).isZero();
            assertThat(after.find("jvm_memory_used_bytes")).isNotEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                MetricsText m = MetricsText.scrape(node.httpPort()); // snapshots every 8 entries
                return m.sum("arbiter_snapshot_write_seconds_count") > 0
                        && m.sum("arbiter_snapshot_size_bytes") > 0
                        && m.sum("arbiter_snapshot_capture_seconds_count") > 0;
            });
            assertThat(after.find("jvm_threads_live_threads")).isNotEmpty();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> MetricsText.scrape(node.httpPort()).sum("arbiter_connections", "role", "TM") == 0);
    }

    @Test
    void activeTransactionsAndFailedPhaseTwoAreCounted() throws Exception {
        MetricsText before = MetricsText.scrape(node.httpPort());
        try (RawSeataClient tm = RawSeataClient.tm(node.port())) {
            String xid = begin(tm, 60_000);
            try (RawSeataClient rm = RawSeataClient.rm(node.port(), "tcc-metrics", "2.5.0")) {
                BranchRegisterResponse branch = (BranchRegisterResponse)
                        rm.call(new BranchRegisterRequest(xid, BranchType.TCC, "tcc-metrics", null, null));
                assertThat(branch.resultCode()).isEqualTo(ResultCode.Success);
                MetricsText open = scrape();
                assertThat(open.seata("counter", "active", APP)).isEqualTo(1);
                assertThat(open.sum("arbiter_transactions_live")).isEqualTo(1);
                assertThat(open.sum("arbiter_connections", "role", "RM")).isEqualTo(1);
            }
            // the RM is gone: phase two cannot reach it, the commit retries until its retry deadline
            GlobalCommitResponse commit = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(xid));
            assertThat(commit.globalStatus()).isIn(GlobalStatus.CommitRetrying, GlobalStatus.CommitRetryTimeout);
            AtomicReference<MetricsText> last = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        // both in one scrape: Seata's series are read before the meters, so a scrape taken while the
                        // transaction ends can show it still active in the one and ended in the other
                        last.set(scrape());
                        return last.get().sum("arbiter_transactions_ended_total", "status", "CommitRetryTimeout")
                                                - before.sum(
                                                        "arbiter_transactions_ended_total",
                                                        "status",
                                                        "CommitRetryTimeout")
                                        == 1
                                && last.get().seata("counter", "active", APP) == 0;
                    });
            MetricsText after = last.get();
            assertThat(after.sum("arbiter_phase2_calls_total", "direction", "commit", "result", "failed")
                            - before.sum("arbiter_phase2_calls_total", "direction", "commit", "result", "failed"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(after.sum("arbiter_phase2_retries_total", "status", "CommitRetrying")
                            - before.sum("arbiter_phase2_retries_total", "status", "CommitRetrying"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(after.seata("counter", "active", APP)).isZero();
            assertThat(windowCount("summary", "2phaseTimeout")).isEqualTo(1);
            assertThat(after.seata("counter", "committed", APP)).isEqualTo(before.seata("counter", "committed", APP));
        }
    }

    @Test
    void everySeriesTheGrafanaDashboardQueriesIsExposed() throws Exception {
        JsonNode dashboard = new ObjectMapper()
                .readTree(Files.readString(Path.of("..", "docs", "grafana", "arbiter-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        Pattern name = Pattern.compile("\\b(seata_transaction|(?:arbiter|jvm|process)_[a-z0-9_]+)\\b");
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries++;
                Matcher m = name.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        assertThat(queries).isGreaterThan(20);
        try (RawSeataClient tm = RawSeataClient.tm(node.port())) {
            tm.call(new GlobalCommitRequest(begin(tm, 60_000)));
            System.gc(); // the GC pause timer appears after a collection
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Set<String> exposed = MetricsText.scrape(node.httpPort()).samples().stream()
                        .map(MetricsText.Sample::name)
                        .collect(Collectors.toSet());
                assertThat(exposed).containsAll(queried);
            });
        }
    }
}
