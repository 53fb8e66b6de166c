package io.arbiter.compat.scenario;

import static io.arbiter.compat.client.TccLedger.Phase.COMMIT;
import static io.arbiter.compat.client.TccParticipant.ACTION_A;
import static io.arbiter.compat.scenario.Checks.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccParticipant;
import io.arbiter.compat.server.InProcessArbiter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The console's operations on a transaction made by the real Seata client: a TCC commit that keeps failing is seen in
 * {@code globalSession/query}, its retries are stopped through Seata's REST path (the participant is then not
 * called), and once the participant recovers they are started again and the transaction commits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class ConsoleScenarios {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "SeataSecretKey0c382ef121d778043159209298fd40bf3850a017";
    private final TccLedger ledger = TccLedger.get();
    private final HttpClient http = HttpClient.newHttpClient();
    private InProcessArbiter tc;
    private CompatClient client;
    private TccParticipant tcc;
    private String token;

    /** The client line under test (a new, uninitialised facade). */
    protected abstract CompatClient newClient();

    @BeforeAll
    void startServerAndClient() throws Exception {
        tc = InProcessArbiter.start(Map.of(
                "arbiter.retry-backoff-ms",
                "200",
                "arbiter.max-retry-backoff-ms",
                "400",
                "arbiter.tick-interval-ms",
                "50",
                "console.user.username",
                "seata",
                "console.user.password",
                "s3cret",
                "seata.security.secretKey",
                SECRET));
        client = newClient();
        client.init(tc);
        tcc = client.tcc();
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(uri("/api/v1/auth/login", Map.of()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"seata\",\"password\":\"s3cret\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(login.body()).path("data").asText();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (tc != null) {
            tc.close();
        }
    }

    @Test
    void aStuckTccCommitIsStoppedAndStartedThroughSeatasConsolePaths() throws Throwable {
        String tag = Checks.tag("console-stuck");
        ledger.failCommits(ACTION_A, tag, Integer.MAX_VALUE);
        GlobalTx tx = client.begin("compat-console-stuck", 30_000);
        tcc.tryA(tag);
        assertThat(tx.commit()).isIn("Committing", "CommitRetrying");
        within(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(ledger.count(ACTION_A, COMMIT, tag)).isGreaterThanOrEqualTo(2));
        JsonNode vo = session(tx.xid());
        assertThat(vo.path("status").asInt()).isEqualTo(3); // CommitRetrying
        assertThat(vo.path("branchSessionVOs"))
                .singleElement()
                .satisfies(b -> assertThat(b.path("branchType").asText()).isEqualTo("TCC"));

        JsonNode stop = call("PUT", "/api/v1/console/globalSession/stopGlobalSession", Map.of("xid", tx.xid()));
        assertThat(stop.path("success").asBoolean()).as(stop.toString()).isTrue();
        Thread.sleep(500); // a call already on its way may still arrive
        AtomicInteger before = new AtomicInteger(ledger.count(ACTION_A, COMMIT, tag));
        Checks.stays(
                Duration.ofSeconds(2),
                () -> assertThat(ledger.count(ACTION_A, COMMIT, tag))
                        .as("no commit while stopped")
                        .isEqualTo(before.get()));
        assertThat(session(tx.xid()).path("status").asInt()).isEqualTo(19); // StopCommitOrCommitRetry

        ledger.failCommits(ACTION_A, tag, 0); // the participant recovers
        JsonNode start = call("PUT", "/api/v1/console/globalSession/startGlobalSession", Map.of("xid", tx.xid()));
        assertThat(start.path("success").asBoolean()).as(start.toString()).isTrue();
        within(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tx.status()).isIn(Checks.COMMITTED_OR_GONE));
        assertThat(ledger.count(ACTION_A, COMMIT, tag)).isEqualTo(before.get() + 1);
        assertThat(query(tx.xid()).path("total").asInt()).isZero();
    }

    private JsonNode session(String xid) throws Exception {
        JsonNode page = query(xid);
        assertThat(page.path("total").asInt()).as(page.toString()).isEqualTo(1);
        return page.path("data").get(0);
    }

    private JsonNode query(String xid) throws Exception {
        return call(
                "GET",
                "/api/v1/console/globalSession/query",
                Map.of("xid", xid, "withBranch", "true", "pageNum", "1", "pageSize", "10"));
    }

    private JsonNode call(String method, String path, Map<String, String> params) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri(path, params))
                        .header("Authorization", token)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private URI uri(String path, Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return URI.create("http://127.0.0.1:" + tc.httpPort() + path + q);
    }
}
