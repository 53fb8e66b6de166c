package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RM that leaves the coordinator's phase-two calls unanswered (a slow or stuck participant) still has its own
 * requests answered on the same connection, before and after a node restart that re-drives those calls.
 */
class UnansweredPhaseTwoTest {
    private static final String DB = "jdbc:postgresql://db/unanswered";
    private static final int ANSWER_WITHIN_MS = 3_000;

    @TempDir
    Path dataDir;

    private static BranchRegisterResponse register(RawSeataClient rm, String xid, List<String> pks) throws Exception {
        int id = rm.send(new BranchRegisterRequest(xid, BranchType.AT, DB, FragmentsTest.lockKey(pks), null));
        long deadline = System.currentTimeMillis() + ANSWER_WITHIN_MS;
        while (System.currentTimeMillis() < deadline) {
            Frame f = rm.readWithin((int) Math.max(1, deadline - System.currentTimeMillis()));
            if (f != null && f.requestId() == id && f.messageType() == 1) {
                return (BranchRegisterResponse) f.body();
            }
        }
        throw new AssertionError("no answer to the register of " + xid + " within " + ANSWER_WITHIN_MS + " ms");
    }

    /** Commits {@code n} transactions with one branch each on {@code rm}, whose phase two it never answers. */
    private static void commitLeavingPhaseTwoUnanswered(RawSeataClient tm, RawSeataClient rm, int n, int firstPk)
            throws Exception {
        for (int i = 0; i < n; i++) {
            String xid = FragmentsTest.begin(tm);
            assertThat(register(rm, xid, List.of(String.valueOf(firstPk + i))).resultCode())
                    .isEqualTo(ResultCode.Success);
            GlobalCommitResponse commit = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(xid));
            assertThat(commit.globalStatus()).isIn(GlobalStatus.Committed, GlobalStatus.AsyncCommitting);
        }
        assertThat(rm.readUntil(BranchCommitRequest.class, 5_000))
                .as("the coordinator calls the RM's phase two")
                .isNotNull();
    }

    @Test
    void anRmThatLeavesPhaseTwoUnansweredStillGetsItsRegistersAnswered() throws Exception {
        Map<String, String> settings = Map.of(
                "arbiter.fragments", "3",
                "arbiter.port", String.valueOf(TestNodes.freePort()),
                "arbiter.http-port", String.valueOf(TestNodes.freePort()),
                "arbiter.raft-port", String.valueOf(TestNodes.freePort()));
        ArbiterNode node = TestNodes.start(dataDir, settings);
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            commitLeavingPhaseTwoUnanswered(tm, rm, 20, 1);
            for (int i = 0; i < 5; i++) {
                String xid = FragmentsTest.begin(tm);
                assertThat(register(rm, xid, List.of("1", String.valueOf(100 + i)))
                                .resultCode())
                        .as("a row of a committed transaction is free again")
                        .isEqualTo(ResultCode.Success);
                tm.call(new GlobalCommitRequest(xid));
            }
        } finally {
            node.close();
        }

        node = TestNodes.start(dataDir, settings);
        try (RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            // the restarted node calls the phase two of the 25 transactions again; this RM does not answer either
            assertThat(rm.readUntil(BranchCommitRequest.class, 10_000)).isNotNull();
            commitLeavingPhaseTwoUnanswered(tm, rm, 5, 200);
            for (int i = 0; i < 5; i++) {
                String xid = FragmentsTest.begin(tm);
                assertThat(register(rm, xid, List.of("1", "200", String.valueOf(300 + i)))
                                .resultCode())
                        .isEqualTo(ResultCode.Success);
                tm.call(new GlobalCommitRequest(xid));
            }
        } finally {
            node.close();
        }
    }
}
