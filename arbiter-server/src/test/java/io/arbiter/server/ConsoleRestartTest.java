package io.arbiter.server;

import static io.arbiter.server.ConsoleHttp.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's "stop retrying" is replicated state: it survives a restart from a snapshot plus the log (no phase-two
 * call to the resource manager that connects after the restart, although a new leader resumes phase two at once),
 * and a node without console credentials lets anyone read but nobody operate.
 */
class ConsoleRestartTest {
    private static final String TCC = "tcc-restart";

    @TempDir
    Path dataDir;

    @Test
    void stoppedRetriesStayStoppedAfterARestart() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "console.user.username",
                "seata",
                "console.user.password",
                "s3cret",
                "seata.security.secretKey",
                ConsoleApiTest.SECRET,
                "arbiter.rm-call-timeout-ms",
                "1000",
                "arbiter.snapshot-threshold",
                "20"));
        ArbiterNode node = TestNodes.start(dataDir, settings);
        settings.put("arbiter.port", String.valueOf(node.port()));
        settings.put("arbiter.http-port", String.valueOf(node.httpPort()));
        settings.put("arbiter.raft-port", String.valueOf(node.config().raftPort()));
        String xid;
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), TCC, "2.5.0")) {
            xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "stuck"))).xid();
            BranchRegisterResponse branch =
                    (BranchRegisterResponse) rm.call(new BranchRegisterRequest(xid, BranchType.TCC, TCC, null, null));
            assertThat(branch.resultCode()).isEqualTo(ResultCode.Success);
            tm.send(new GlobalCommitRequest(xid));
            fail(rm, rm.readUntil(BranchCommitRequest.class, 5_000));
            ConsoleHttp http = new ConsoleHttp(node.httpPort()).login("seata", "s3cret");
            JsonNode stop = http.send("PUT", "/api/v1/console/globalSession/stopGlobalSession", params("xid", xid))
                    .body();
            assertThat(stop.path("success").asBoolean()).as(stop.toString()).isTrue();
            for (Frame late = rm.readWithin(400); late != null; late = rm.readWithin(400)) {
                fail(rm, late);
            }
            for (int i = 0; i < 30; i++) { // past the snapshot threshold: the stop is in a snapshot
                tm.call(new GlobalBeginRequest(60_000, "filler"));
            }
        } finally {
            node.close();
        }

        node = TestNodes.start(dataDir, settings);
        try (RawSeataClient rm = RawSeataClient.rm(node.port(), TCC, "2.5.0")) {
            ConsoleHttp http = new ConsoleHttp(node.httpPort()).login("seata", "s3cret");
            JsonNode vo = http.get(
                            "/api/v1/console/globalSession/query", params("xid", xid, "pageNum", 1, "pageSize", 1))
                    .body()
                    .path("data")
                    .get(0);
            assertThat(vo.path("status").asInt()).as("StopCommitOrCommitRetry").isEqualTo(19);
            assertThat(rm.readUntil(BranchCommitRequest.class, 1_500))
                    .as("a stopped transaction is not resumed")
                    .isNull();
            JsonNode start = http.send("PUT", "/api/v1/console/globalSession/startGlobalSession", params("xid", xid))
                    .body();
            assertThat(start.path("success").asBoolean()).as(start.toString()).isTrue();
            assertThat(rm.readUntil(BranchCommitRequest.class, 5_000)).isNotNull();
        } finally {
            node.close();
        }
    }

    @Test
    void withoutCredentialsAnyoneReadsAndNobodyOperates() throws Exception {
        ArbiterNode node = TestNodes.start(dataDir, Map.of());
        try {
            ConsoleHttp anonymous = new ConsoleHttp(node.httpPort());
            ConsoleHttp.Answer read =
                    anonymous.get("/api/v1/console/globalSession/query", params("pageNum", 1, "pageSize", 10));
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body().path("success").asBoolean()).isTrue();
            assertThat(anonymous
                            .get("/api/v1/console/locks/contended", params())
                            .status())
                    .isEqualTo(200);
            ConsoleHttp.Answer operation = anonymous.send(
                    "DELETE",
                    "/api/v1/console/globalSession/forceDeleteGlobalSession",
                    params("xid", "127.0.0.1:8091:5"));
            assertThat(operation.status()).isEqualTo(403);
            assertThat(operation.body().path("message").asText()).contains("console.user.username");
        } finally {
            node.close();
        }
    }

    private static void fail(RawSeataClient rm, Frame call) throws Exception {
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
                            BranchStatus.PhaseTwo_CommitFailed_Retryable)));
        }
    }
}
