package io.arbiter.server;

import static io.arbiter.server.ConsoleHttp.params;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on three nodes with four fragments: a query on any node sees the transactions of every fragment
 * wherever its leader is, an operation sent to any node is applied by the transaction's fragment leader, and it
 * survives that leader's death (the new leader does not resume the stopped phase two).
 */
class ConsoleClusterTest {
    private static final String TCC = "tcc-cluster";

    @TempDir
    Path dataDir;

    private final List<ArbiterNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(ArbiterNode::close);
    }

    private static JsonNode sessions(ConsoleHttp http, Object... kv) throws Exception {
        ConsoleHttp.Answer a = http.get("/api/v1/console/globalSession/query", params(kv));
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body();
    }

    @Test
    void queriesSeeEveryNodeAndAStopSurvivesTheLeadersDeath() throws Exception {
        nodes.addAll(TestNodes.startCluster(
                dataDir,
                3,
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
                        "1000")));
        await().atMost(Duration.ofSeconds(40))
                .until(() ->
                        nodes.stream().allMatch(n -> !n.fragments().ledHere().isEmpty()));
        ArbiterNode a = nodes.get(0);
        ArbiterNode b = nodes.get(1);
        ArbiterNode c = nodes.get(2);
        ConsoleHttp viaA = new ConsoleHttp(a.httpPort()).login("seata", "s3cret");
        ConsoleHttp viaB = new ConsoleHttp(b.httpPort()).login("seata", "s3cret");

        String name = "c-" + UUID.randomUUID();
        for (ArbiterNode node : nodes) {
            try (RawSeataClient tm = RawSeataClient.tm(node.port())) {
                for (int i = 0; i < 2; i++) {
                    tm.call(new GlobalBeginRequest(60_000, name));
                }
            }
        }
        JsonNode all = sessions(viaB, "transactionName", name, "pageNum", 1, "pageSize", 4);
        assertThat(all.path("total").asInt()).isEqualTo(6);
        assertThat(all.path("pages").asInt()).isEqualTo(2);
        assertThat(all.path("data").findValuesAsText("xid"))
                .allSatisfy(x -> assertThat(x).isNotBlank())
                .hasSize(4);

        try (RawSeataClient tm = RawSeataClient.tm(c.port());
                RawSeataClient rm = RawSeataClient.rm(b.port(), TCC, "2.5.0")) {
            String xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "stuck"))).xid();
            BranchRegisterResponse branch =
                    (BranchRegisterResponse) rm.call(new BranchRegisterRequest(xid, BranchType.TCC, TCC, null, null));
            assertThat(branch.resultCode()).isEqualTo(ResultCode.Success);
            tm.send(new GlobalCommitRequest(xid));
            reply(rm, rm.readUntil(BranchCommitRequest.class, 10_000), BranchStatus.PhaseTwo_CommitFailed_Retryable);

            JsonNode stop = viaA.send("PUT", "/api/v1/console/globalSession/stopGlobalSession", params("xid", xid))
                    .body();
            assertThat(stop.path("success").asBoolean()).as(stop.toString()).isTrue();
            for (Frame late = rm.readWithin(500); late != null; late = rm.readWithin(500)) {
                reply(rm, late, BranchStatus.PhaseTwo_CommitFailed_Retryable);
            }

            nodes.remove(c);
            c.close(); // the transaction's fragment leader goes; another replica takes over
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(sessions(viaA, "xid", xid, "pageNum", 1, "pageSize", 1)
                                    .path("data")
                                    .get(0)
                                    .path("status")
                                    .asInt())
                            .isEqualTo(19));
            assertThat(rm.readUntil(BranchCommitRequest.class, 2_000))
                    .as("the new leader does not resume a stopped phase two")
                    .isNull();

            JsonNode start = viaB.send("PUT", "/api/v1/console/globalSession/startGlobalSession", params("xid", xid))
                    .body();
            assertThat(start.path("success").asBoolean()).as(start.toString()).isTrue();
            reply(rm, rm.readUntil(BranchCommitRequest.class, 10_000), BranchStatus.PhaseTwo_Committed);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(sessions(viaA, "xid", xid, "pageNum", 1, "pageSize", 1)
                                    .path("total")
                                    .asInt())
                            .isZero());
            assertThat(sessions(viaA, "status", GlobalStatus.CommitRetrying.code(), "pageNum", 1, "pageSize", 10)
                            .path("data")
                            .findValuesAsText("xid"))
                    .doesNotContain(xid);
        }
    }

    private static void reply(RawSeataClient rm, Frame call, BranchStatus status) throws Exception {
        assertThat(call).isNotNull();
        if (call.body() instanceof BranchCommitRequest req) {
            rm.sendFrame(Frame.responseTo(
                    call,
                    new BranchCommitResponse(
                            ResultCode.Success,
                            TransactionExceptionCode.Unknown,
                            null,
                            req.xid(),
                            req.branchId(),
                            status)));
        }
    }
}
