package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Seata client's status and lock queries (and the console's and the sweeper's reads) are answered by the
 * fragment's leader without a Raft log entry: linearizable reads (the leader confirms it still leads, then answers
 * from the state with everything committed applied). Real node, real Ratis, real sockets; the count of applied
 * commands in every fragment shows what was written.
 */
class QueriesWriteNoLogEntryTest {
    private static final String DB = "jdbc:postgresql://db/reads";

    @TempDir
    Path dataDir;

    @Test
    void statusAndLockQueriesAreAnsweredWithoutAppliedCommands() throws Exception {
        try (ArbiterNode node =
                        TestNodes.start(dataDir, Map.of("arbiter.fragments", "2", "arbiter.lock-fragments", "2"));
                RawSeataClient tm = RawSeataClient.tm(node.port());
                RawSeataClient rm = RawSeataClient.rm(node.port(), DB, "2.5.0")) {
            String xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "reads"))).xid();
            BranchRegisterResponse registered = (BranchRegisterResponse)
                    rm.call(new BranchRegisterRequest(xid, BranchType.AT, DB, "t:1,2,3,4,5,6,7,8", null));
            assertThat(registered.resultCode()).isEqualTo(ResultCode.Success);
            long before = applied(node);

            for (int i = 0; i < 50; i++) {
                GlobalStatusResponse status = (GlobalStatusResponse) tm.call(new GlobalStatusRequest(xid));
                assertThat(status.globalStatus()).isEqualTo(GlobalStatus.Begin);
                GlobalLockQueryResponse held = (GlobalLockQueryResponse)
                        rm.call(new GlobalLockQueryRequest(null, BranchType.AT, DB, "t:" + (1 + i % 8), null));
                assertThat(held.lockable()).as("row %d", 1 + i % 8).isFalse();
            }
            assertThat(applied(node)).as("commands applied by 100 queries").isEqualTo(before);

            // a read asked after a write was answered sees it
            BranchRegisterResponse more =
                    (BranchRegisterResponse) rm.call(new BranchRegisterRequest(xid, BranchType.AT, DB, "t:9", null));
            assertThat(more.resultCode()).isEqualTo(ResultCode.Success);
            GlobalLockQueryResponse nine =
                    (GlobalLockQueryResponse) rm.call(new GlobalLockQueryRequest(null, BranchType.AT, DB, "t:9", null));
            assertThat(nine.lockable()).isFalse();
            String other = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "reads"))).xid();
            GlobalRollbackResponse rollback = (GlobalRollbackResponse) tm.call(new GlobalRollbackRequest(other));
            assertThat(rollback.globalStatus()).isEqualTo(GlobalStatus.Rollbacked);
            GlobalStatusResponse ended = (GlobalStatusResponse) tm.call(new GlobalStatusRequest(other));
            assertThat(ended.globalStatus()).isEqualTo(GlobalStatus.Finished);
            assertThat(applied(node)).isGreaterThan(before);
        }
    }

    private static long applied(ArbiterNode node) {
        return node.fragments().all().stream()
                .mapToLong(f -> f.stateMachine().appliedCommands())
                .sum();
    }
}
