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
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterTMRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State survives a restart on the same data directory: from the log alone, and from a snapshot plus the log. */
class RestartTest {
    @TempDir
    Path dataDir;

    @Test
    void transactionsBranchesAndLocksComeBackFromTheLog() throws Exception {
        restartKeepsState(Map.of());
    }

    @Test
    void transactionsBranchesAndLocksComeBackFromASnapshotAndTheLog() throws Exception {
        restartKeepsState(Map.of("arbiter.snapshot-threshold", "50"));
    }

    private void restartKeepsState(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(extra);
        ArbiterNode node = TestNodes.start(dataDir, settings);
        int port = node.port();
        settings.put("arbiter.port", String.valueOf(port));
        settings.put("arbiter.raft-port", String.valueOf(node.config().raftPort()));
        List<String> open = new ArrayList<>();
        try (RawSeataClient c = new RawSeataClient(port)) {
            c.call(new RegisterTMRequest("2.5.0", "app", "grp", null));
            for (int i = 0; i < 120; i++) { // enough entries to cross the snapshot threshold
                String xid = ((GlobalBeginResponse) c.call(new GlobalBeginRequest(600_000, "t" + i))).xid();
                open.add(xid);
            }
        }
        try (RawSeataClient rm = new RawSeataClient(port)) {
            rm.call(new RegisterRMRequest("2.5.0", "app", "grp", null, "jdbc:pg"));
            BranchRegisterResponse r = (BranchRegisterResponse)
                    rm.call(new BranchRegisterRequest(open.get(0), BranchType.AT, "jdbc:pg", "stock:42", null));
            assertThat(r.resultCode()).isEqualTo(ResultCode.Success);
        }
        node.close();

        ArbiterNode again = TestNodes.start(dataDir, settings);
        try (RawSeataClient c = new RawSeataClient(again.port())) {
            c.call(new RegisterTMRequest("2.5.0", "app", "grp", null));
            for (String xid : open) {
                assertThat(((GlobalStatusResponse) c.call(new GlobalStatusRequest(xid))).globalStatus())
                        .as(xid)
                        .isEqualTo(GlobalStatus.Begin);
            }
            GlobalLockQueryResponse q = (GlobalLockQueryResponse)
                    c.call(new GlobalLockQueryRequest(null, BranchType.AT, "jdbc:pg", "stock:42", null));
            assertThat(q.lockable()).isFalse();
            // new transactions get new ids
            String fresh = ((GlobalBeginResponse) c.call(new GlobalBeginRequest(600_000, "new"))).xid();
            assertThat(open).doesNotContain(fresh);
            // an empty transaction rolls back at once; the AT one needs its RM, which is gone: it keeps retrying
            assertThat(((GlobalRollbackResponse) c.call(new GlobalRollbackRequest(open.get(1)))).globalStatus())
                    .isEqualTo(GlobalStatus.Rollbacked);
            assertThat(((GlobalRollbackResponse) c.call(new GlobalRollbackRequest(open.get(0)))).globalStatus())
                    .isEqualTo(GlobalStatus.RollbackRetrying);
        } finally {
            again.close();
        }
    }
}
