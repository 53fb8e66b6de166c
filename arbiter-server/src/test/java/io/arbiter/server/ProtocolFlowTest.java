package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.arbiter.protocol.message.MergeResultMessage;
import io.arbiter.protocol.message.MergedWarpMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Seata protocol flows against a real node over real sockets, with a client built on our own codec. */
class ProtocolFlowTest {
    @TempDir
    static Path dataDir;

    static ArbiterNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static RawSeataClient tm() throws Exception {
        return RawSeataClient.tm(node.port());
    }

    static RawSeataClient rm(String resource, String version) throws Exception {
        return RawSeataClient.rm(node.port(), resource, version);
    }

    @Test
    void pingIsAnsweredWithPongEvenBeforeRegistration() throws Exception {
        try (RawSeataClient c = new RawSeataClient(node.port())) {
            c.sendFrame(Frame.ping(77));
            Frame pong = c.read();
            assertThat(pong.body()).isEqualTo(HeartbeatMessage.PONG);
            assertThat(pong.requestId()).isEqualTo(77);
            assertThat(pong.messageType()).isEqualTo((byte) 4);
        }
    }

    @Test
    void tccCommitDrivesPhaseTwoOnTheRmAndAnswersAfterIt() throws Exception {
        try (RawSeataClient tm = tm();
                RawSeataClient rm = rm("tcc-r1", "2.5.0")) {
            GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "tx"));
            assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
            assertThat(begin.xid()).matches("127\\.0\\.0\\.1:" + node.port() + ":\\d+");

            int mergedId = rm.send(new MergedWarpMessage(
                    List.of(
                            new BranchRegisterRequest(begin.xid(), BranchType.TCC, "tcc-r1", null, "{\"a\":1}"),
                            new BranchRegisterRequest(begin.xid(), BranchType.TCC, "tcc-r1", null, "{\"a\":2}")),
                    List.of(11, 12)));
            Frame merged = rm.read();
            assertThat(merged.requestId()).isEqualTo(mergedId);
            List<?> results = ((MergeResultMessage) merged.body()).msgs();
            assertThat(results)
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(((BranchRegisterResponse) r).resultCode())
                            .isEqualTo(ResultCode.Success));
            long b1 = ((BranchRegisterResponse) results.get(0)).branchId();
            long b2 = ((BranchRegisterResponse) results.get(1)).branchId();

            int commitId = tm.send(new GlobalCommitRequest(begin.xid()));
            for (int i = 0; i < 2; i++) {
                Frame call = rm.read();
                BranchCommitRequest req = (BranchCommitRequest) call.body();
                assertThat(req.xid()).isEqualTo(begin.xid());
                assertThat(req.branchId()).isIn(b1, b2);
                assertThat(req.applicationData()).isEqualTo(req.branchId() == b1 ? "{\"a\":1}" : "{\"a\":2}");
                rm.sendFrame(Frame.responseTo(
                        call,
                        new BranchCommitResponse(
                                ResultCode.Success,
                                TransactionExceptionCode.Unknown,
                                null,
                                req.xid(),
                                req.branchId(),
                                BranchStatus.PhaseTwo_Committed)));
            }
            Frame commit = tm.read();
            assertThat(commit.requestId()).isEqualTo(commitId);
            assertThat(((GlobalCommitResponse) commit.body()).globalStatus()).isEqualTo(GlobalStatus.Committed);
            assertThat(((GlobalStatusResponse) tm.call(new GlobalStatusRequest(begin.xid()))).globalStatus())
                    .isEqualTo(GlobalStatus.Finished);
        }
    }

    @Test
    void lockConflictUsesTheClientsExceptionCodeTable() throws Exception {
        try (RawSeataClient tm = tm();
                RawSeataClient rm18 = rm("jdbc:pg://db", "1.8.0")) {
            String holder = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "a"))).xid();
            String other = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "b"))).xid();
            BranchRegisterResponse ok = (BranchRegisterResponse)
                    rm18.call(new BranchRegisterRequest(holder, BranchType.AT, "jdbc:pg://db", "stock:1", null));
            assertThat(ok.resultCode()).isEqualTo(ResultCode.Success);
            BranchRegisterResponse conflict = (BranchRegisterResponse)
                    rm18.call(new BranchRegisterRequest(other, BranchType.AT, "jdbc:pg://db", "stock:1", null));
            assertThat(conflict.resultCode()).isEqualTo(ResultCode.Failed);
            assertThat(conflict.exceptionCode()).isEqualTo(TransactionExceptionCode.LockKeyConflict);
            GlobalLockQueryResponse query = (GlobalLockQueryResponse)
                    rm18.call(new GlobalLockQueryRequest(null, BranchType.AT, "jdbc:pg://db", "stock:1", null));
            assertThat(query.lockable()).isFalse();
        }
    }

    @Test
    void transactionRequestBeforeRegistrationClosesTheChannel() throws Exception {
        try (RawSeataClient c = new RawSeataClient(node.port())) {
            c.send(new GlobalBeginRequest(1000, "x"));
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
