package io.arbiter.server;

import static io.arbiter.server.ConsoleHttp.params;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seata's console REST API on a real node with four fragments, over real HTTP, with transactions made by raw Seata
 * clients: queries with Seata's filters, paging and shapes across fragments, the operations (each a replicated core
 * command), the contended-locks view, and the login rules.
 */
class ConsoleApiTest {
    static final String SECRET = "SeataSecretKey0c382ef121d778043159209298fd40bf3850a017";
    private static final String DB = "jdbc:postgresql://db/console";
    private static final String TCC = "tcc-console";

    @TempDir
    static Path dataDir;

    static ArbiterNode node;
    static ConsoleHttp http;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(
                dataDir,
                Map.of(
                        "arbiter.fragments",
                        "4",
                        "console.user.username",
                        "seata",
                        "console.user.password",
                        "s3cret",
                        "seata.security.secretKey",
                        SECRET,
                        "arbiter.rm-call-timeout-ms",
                        "1000"));
        http = new ConsoleHttp(node.httpPort()).login("seata", "s3cret");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String begin(RawSeataClient tm, String name) throws Exception {
        GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, name));
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

    private static JsonNode sessions(Object... kv) throws Exception {
        ConsoleHttp.Answer a = http.get("/api/v1/console/globalSession/query", params(kv));
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body();
    }

    private static JsonNode session(String xid) throws Exception {
        JsonNode page = sessions("xid", xid, "withBranch", true, "pageNum", 1, "pageSize", 10);
        return page.path("total").asInt() == 0 ? null : page.path("data").get(0);
    }

    private static JsonNode locks(Object... kv) throws Exception {
        ConsoleHttp.Answer a = http.get("/api/v1/console/globalLock/query", params(kv));
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body();
    }

    private static JsonNode operate(String method, String path, Object... kv) throws Exception {
        ConsoleHttp.Answer a = http.send(method, "/api/v1/console/" + path, params(kv));
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        return a.body();
    }

    @Test
    void sessionQueryFiltersAndPagesOverEveryFragmentInSeatasShape() throws Exception {
        String name = "q-" + UUID.randomUUID();
        List<String> xids = new ArrayList<>();
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            for (int i = 0; i < 5; i++) {
                xids.add(begin(tm, name));
                Thread.sleep(2); // distinct begin times: oldest first is then the begin order
            }
            begin(tm, "other-" + UUID.randomUUID());
            long branch = register(rm, xids.get(0), BranchType.AT, DB, "orders:1");
            assertThat(xids.stream().map(FragmentsTest::fragmentOf).distinct().count())
                    .isGreaterThan(1);

            JsonNode first = sessions("transactionName", name, "pageNum", 1, "pageSize", 2);
            assertThat(first.path("success").asBoolean()).isTrue();
            assertThat(first.path("code").asText()).isEqualTo("200");
            assertThat(first.path("total").asInt()).isEqualTo(5);
            assertThat(first.path("pages").asInt()).isEqualTo(3);
            assertThat(first.path("pageNum").asInt()).isEqualTo(1);
            assertThat(first.path("pageSize").asInt()).isEqualTo(2);
            assertThat(first.path("data")).hasSize(2);
            JsonNode vo = first.path("data").get(0);
            assertThat(vo.path("xid").asText()).isEqualTo(xids.get(0));
            assertThat(vo.path("transactionId").isTextual()).isTrue();
            assertThat(vo.path("status").asInt()).isEqualTo(GlobalStatus.Begin.code());
            assertThat(vo.path("applicationId").asText()).isEqualTo("app");
            assertThat(vo.path("transactionServiceGroup").asText()).isEqualTo("grp");
            assertThat(vo.path("timeout").isTextual())
                    .as("Seata writes Long fields as strings")
                    .isTrue();
            assertThat(vo.path("timeout").asLong()).isEqualTo(60_000);
            assertThat(vo.path("beginTime").asLong()).isPositive();
            assertThat(vo.path("branchSessionVOs").isNull())
                    .as("withBranch false")
                    .isTrue();
            JsonNode last = sessions("transactionName", name, "pageNum", 3, "pageSize", 2);
            assertThat(last.path("data")).hasSize(1);
            assertThat(last.path("data").get(0).path("xid").asText()).isEqualTo(xids.get(4));

            JsonNode one = session(xids.get(0));
            assertThat(one.path("branchSessionVOs")).hasSize(1);
            JsonNode b = one.path("branchSessionVOs").get(0);
            assertThat(b.path("branchId").asText()).isEqualTo(String.valueOf(branch));
            assertThat(b.path("branchType").asText()).isEqualTo("AT");
            assertThat(b.path("resourceId").asText()).isEqualTo(DB);
            assertThat(b.path("status").asInt()).isEqualTo(BranchStatus.Registered.code());

            long t2 = one.path("beginTime").asLong();
            JsonNode window =
                    sessions("transactionName", name, "timeStart", t2, "timeEnd", t2, "pageNum", 1, "pageSize", 10);
            assertThat(window.path("data").findValuesAsText("xid")).contains(xids.get(0));
            assertThat(sessions(
                                    "transactionName",
                                    name,
                                    "status",
                                    GlobalStatus.Committing.code(),
                                    "pageNum",
                                    1,
                                    "pageSize",
                                    10)
                            .path("total")
                            .asInt())
                    .isZero();
            assertThat(sessions("applicationId", "no-such-app", "pageNum", 1, "pageSize", 10)
                            .path("total")
                            .asInt())
                    .isZero();
        }
    }

    @Test
    void lockQueryFiltersAndCheckSaysWhetherTheBranchExists() throws Exception {
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            String xid = begin(tm, "locks");
            long branch = register(rm, xid, BranchType.AT, DB, "lq_orders:1,2;lq_stock:7");
            JsonNode all = locks("xid", xid, "pageNum", 1, "pageSize", 10);
            assertThat(all.path("total").asInt()).isEqualTo(3);
            JsonNode stock = locks("xid", xid, "tableName", "lq_stock", "pageNum", 1, "pageSize", 10);
            assertThat(stock.path("data")).hasSize(1);
            JsonNode lock = stock.path("data").get(0);
            assertThat(lock.path("pk").asText()).isEqualTo("7");
            assertThat(lock.path("resourceId").asText()).isEqualTo(DB);
            assertThat(lock.path("branchId").asText()).isEqualTo(String.valueOf(branch));
            assertThat(lock.path("rowKey").asText()).isEqualTo(DB + "^^^lq_stock^^^7");
            assertThat(locks("tableName", "lq_orders", "pk", "2", "pageNum", 1, "pageSize", 10)
                            .path("total")
                            .asInt())
                    .isEqualTo(1);

            JsonNode check = http.get("/api/v1/console/globalLock/check", params("xid", xid, "branchId", branch))
                    .body();
            assertThat(check.path("data").asBoolean()).isTrue();
            assertThat(http.get("/api/v1/console/globalLock/check", params("xid", xid, "branchId", branch + 1))
                            .body()
                            .path("data")
                            .asBoolean())
                    .isFalse();

            JsonNode deleted = operate(
                    "DELETE",
                    "globalLock/delete",
                    "xid",
                    xid,
                    "branchId",
                    branch,
                    "resourceId",
                    DB,
                    "tableName",
                    "lq_stock",
                    "pk",
                    "7");
            assertThat(deleted.path("success").asBoolean())
                    .as(deleted.toString())
                    .isTrue();
            assertThat(locks("xid", xid, "pageNum", 1, "pageSize", 10)
                            .path("total")
                            .asInt())
                    .isEqualTo(2);
            // the row is free: another transaction may take it
            String other = begin(tm, "locks-2");
            register(rm, other, BranchType.AT, DB, "lq_stock:7");
        }
    }

    @Test
    void aStuckCommitIsStoppedAndStartedAgainThroughTheApi() throws Exception {
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), TCC, "2.5.0")) {
            String xid = begin(tm, "stuck");
            long branch = register(rm, xid, BranchType.TCC, TCC, null);
            tm.send(new GlobalCommitRequest(xid));
            answerCommit(rm, BranchStatus.PhaseTwo_CommitFailed_Retryable); // first call
            answerCommit(rm, BranchStatus.PhaseTwo_CommitFailed_Retryable); // a retry
            assertThat(session(xid).path("status").asInt()).isEqualTo(GlobalStatus.CommitRetrying.code());

            JsonNode stop = operate("PUT", "globalSession/stopGlobalSession", "xid", xid);
            assertThat(stop.path("success").asBoolean()).as(stop.toString()).isTrue();
            // calls already on their way may still come; then none
            while (true) {
                Frame late = rm.readWithin(400);
                if (late == null) {
                    break;
                }
                reply(rm, late, BranchStatus.PhaseTwo_CommitFailed_Retryable);
            }
            assertThat(rm.readUntil(BranchCommitRequest.class, 1_500))
                    .as("no retries while stopped")
                    .isNull();
            assertThat(session(xid).path("status").asInt()).isEqualTo(19); // StopCommitOrCommitRetry
            assertThat(sessions("status", 19, "pageNum", 1, "pageSize", 50)
                            .path("data")
                            .findValuesAsText("xid"))
                    .contains(xid);
            JsonNode again = operate("PUT", "globalSession/stopGlobalSession", "xid", xid);
            assertThat(again.path("success").asBoolean()).isFalse();
            assertThat(again.path("code").asText()).isEqualTo("500");
            assertThat(again.path("message").asText()).contains("stopped already");

            JsonNode start = operate("PUT", "globalSession/startGlobalSession", "xid", xid);
            assertThat(start.path("success").asBoolean()).as(start.toString()).isTrue();
            Frame call = rm.readUntil(BranchCommitRequest.class, 5_000);
            assertThat(call).as("started: phase two is called again").isNotNull();
            assertThat(((BranchCommitRequest) call.body()).branchId()).isEqualTo(branch);
            reply(rm, call, BranchStatus.PhaseTwo_Committed);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(session(xid)).isNull());
            assertThat(((GlobalStatusResponse) tm.call(new GlobalStatusRequest(xid))).globalStatus())
                    .isEqualTo(GlobalStatus.Finished);
        }
    }

    @Test
    void branchRetriesStopAndDeletesNeedTheRightStatusUnlessForced() throws Exception {
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            String xid = begin(tm, "deletes");
            long at = register(rm, xid, BranchType.AT, DB, "del_t:1");
            long at2 = register(rm, xid, BranchType.AT, DB, "del_t:2");
            JsonNode stopInBegin = operate("PUT", "branchSession/stopBranchSession", "xid", xid, "branchId", at);
            assertThat(stopInBegin.path("success").asBoolean()).isFalse();
            JsonNode notForced = operate("DELETE", "branchSession/deleteBranchSession", "xid", xid, "branchId", at);
            assertThat(notForced.path("success").asBoolean()).isFalse();
            assertThat(notForced.path("message").asText()).contains("not support delete branch");
            JsonNode forced = operate("DELETE", "branchSession/forceDeleteBranchSession", "xid", xid, "branchId", at);
            assertThat(forced.path("success").asBoolean()).as(forced.toString()).isTrue();
            assertThat(session(xid).path("branchSessionVOs").findValuesAsText("branchId"))
                    .containsExactly(String.valueOf(at2));
            assertThat(locks("xid", xid, "pageNum", 1, "pageSize", 10)
                            .path("total")
                            .asInt())
                    .isEqualTo(1);

            JsonNode deleteGlobal = operate("DELETE", "globalSession/deleteGlobalSession", "xid", xid);
            assertThat(deleteGlobal.path("success").asBoolean()).isFalse();
            assertThat(deleteGlobal.path("message").asText()).contains("not support deleted");
            JsonNode change = operate("PUT", "globalSession/changeGlobalStatus", "xid", xid);
            assertThat(change.path("success").asBoolean()).isFalse();
            JsonNode forceGlobal = operate("DELETE", "globalSession/forceDeleteGlobalSession", "xid", xid);
            assertThat(forceGlobal.path("success").asBoolean())
                    .as(forceGlobal.toString())
                    .isTrue();
            assertThat(session(xid)).isNull();
            assertThat(locks("xid", xid, "pageNum", 1, "pageSize", 10)
                            .path("total")
                            .asInt())
                    .isZero();
            JsonNode gone = operate("PUT", "globalSession/sendCommitOrRollback", "xid", xid);
            assertThat(gone.path("success").asBoolean()).isFalse();
            assertThat(gone.path("message").asText()).contains("not exist");
        }
    }

    @Test
    void contendedRowsAreCountedWithTheirHolder() throws Exception {
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            String holder = begin(tm, "holder");
            register(rm, holder, BranchType.AT, DB, "hot:1");
            for (int i = 0; i < 3; i++) {
                String waiter = begin(tm, "waiter");
                BranchRegisterResponse r = (BranchRegisterResponse)
                        rm.call(new BranchRegisterRequest(waiter, BranchType.AT, DB, "hot:1", null));
                assertThat(r.resultCode()).isEqualTo(ResultCode.Failed);
            }
            JsonNode data = http.get("/api/v1/console/locks/contended", params("limit", 5))
                    .body()
                    .path("data");
            JsonNode row = null;
            for (JsonNode r : data.path("rows")) {
                if (r.path("rowKey").asText().equals(DB + "^^^hot^^^1")) {
                    row = r;
                }
            }
            assertThat(row).as(data.toString()).isNotNull();
            assertThat(row.path("conflicts").asLong()).isEqualTo(3);
            assertThat(row.path("tableName").asText()).isEqualTo("hot");
            assertThat(row.path("holderXid").asText()).isEqualTo(holder);
            assertThat(row.path("heldForMillis").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(data.path("tables").findValuesAsText("tableName")).contains("hot");
        }
    }

    @Test
    void aPageTooLongForOneAnswerIsRefusedWithTheReason() throws Exception {
        String name = "big-" + UUID.randomUUID();
        String data = "{\"ctx\":\"" + "x".repeat(200_000) + "\"}";
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), TCC, "2.5.0")) {
            for (int i = 0; i < 48; i++) { // 12 per fragment, 2.4 MB each
                String xid = begin(tm, name);
                BranchRegisterResponse r = (BranchRegisterResponse)
                        rm.call(new BranchRegisterRequest(xid, BranchType.TCC, TCC, null, data));
                assertThat(r.resultCode()).isEqualTo(ResultCode.Success);
            }
        }
        ConsoleHttp.Answer tooLong = http.get(
                "/api/v1/console/globalSession/query",
                params("transactionName", name, "withBranch", true, "pageNum", 1, "pageSize", 48));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().path("message").asText()).contains("smaller pages");
        // each fragment answers up to pageNum × pageSize sessions: 6 × 0.2 MB fit
        JsonNode small = sessions("transactionName", name, "withBranch", true, "pageNum", 2, "pageSize", 3);
        assertThat(small.path("total").asInt()).isEqualTo(48);
        assertThat(small.path("data")).hasSize(3);
        assertThat(sessions("transactionName", name, "pageNum", 1, "pageSize", 48)
                        .path("data"))
                .as("no branches")
                .hasSize(48);
    }

    @Test
    void withoutALoginNothingIsAnsweredAndBadParametersGet400() throws Exception {
        ConsoleHttp anonymous = new ConsoleHttp(node.httpPort());
        assertThat(anonymous
                        .get("/api/v1/console/globalSession/query", params("pageNum", 1, "pageSize", 10))
                        .status())
                .isEqualTo(401);
        assertThat(anonymous
                        .send("PUT", "/api/v1/console/globalSession/stopGlobalSession", params("xid", "a:1:2"))
                        .status())
                .isEqualTo(401);
        ConsoleHttp.Answer noPaging = http.get("/api/v1/console/globalSession/query", params());
        assertThat(noPaging.status()).as("Seata's db store defaults").isEqualTo(200);
        assertThat(noPaging.body().path("pageNum").asInt()).isEqualTo(1);
        assertThat(noPaging.body().path("pageSize").asInt()).isEqualTo(20);
        ConsoleHttp.Answer badPage = http.get("/api/v1/console/globalSession/query", params("pageNum", "x"));
        assertThat(badPage.status()).isEqualTo(400);
        assertThat(badPage.body().path("message").asText()).contains("pageNum");
        assertThat(http.get("/api/v1/console/globalSession/query", params("pageNum", 1, "pageSize", 5000))
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/console/globalLock/query", params("pageNum", 0, "pageSize", 10))
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/console/globalSession/query", params("pageNum", 1, "pageSize", 10, "status", "x"))
                        .body()
                        .path("message")
                        .asText())
                .contains("status");
        ConsoleHttp.Answer badBranch = http.send(
                "PUT", "/api/v1/console/branchSession/stopBranchSession", params("xid", "h:1:5", "branchId", "abc"));
        assertThat(badBranch.status()).isEqualTo(400);
        assertThat(badBranch.body().path("message").asText()).contains("branchId");
        assertThat(http.send("PUT", "/api/v1/console/globalSession/stopGlobalSession", params())
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/console/globalSession/stopGlobalSession", params("xid", "h:1:5"))
                        .status())
                .isEqualTo(405);
    }

    private static void answerCommit(RawSeataClient rm, BranchStatus status) throws Exception {
        Frame call = rm.readUntil(BranchCommitRequest.class, 5_000);
        assertThat(call).isNotNull();
        reply(rm, call, status);
    }

    private static void reply(RawSeataClient rm, Frame call, BranchStatus status) throws Exception {
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
