package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.UndoLogDeleteRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader periodically asks an RM of each AT resource to delete old undo logs (ONEWAY, no answer). */
class UndoLogDeletionTest {
    @TempDir
    Path dataDir;

    @Test
    void atResourceManagersReceiveUndoLogDeleteRequests() throws Exception {
        try (ArbiterNode node = TestNodes.start(
                        dataDir,
                        Map.of("arbiter.undo-log-delete-period-ms", "300", "arbiter.undo-log-save-days", "3"));
                RawSeataClient tm = new RawSeataClient(node.port());
                RawSeataClient rm = new RawSeataClient(node.port())) {
            tm.call(new RegisterTMRequest("2.5.0", "app", "grp", null));
            rm.call(new RegisterRMRequest("2.5.0", "app", "grp", null, "jdbc:pg://inventory"));
            String xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t"))).xid();
            BranchRegisterResponse r = (BranchRegisterResponse)
                    rm.call(new BranchRegisterRequest(xid, BranchType.AT, "jdbc:pg://inventory", "stock:1", null));
            assertThat(r.resultCode()).isEqualTo(ResultCode.Success);
            Frame frame = rm.read();
            assertThat(frame.messageType()).isEqualTo((byte) 2);
            assertThat(frame.body())
                    .isEqualTo(new UndoLogDeleteRequest(BranchType.AT, "jdbc:pg://inventory", (short) 3));
        }
    }

    /**
     * Three nodes: an AT branch of a resource registered through node 0; an RM of the same resource connected only
     * to node 2, which never registered anything there and need not lead, is asked by node 2 (the resources come
     * from the replicated state, not from what went through one node).
     */
    @Test
    void everyNodeAsksItsOwnRmsOfTheResourcesInTheReplicatedState() throws Exception {
        List<ArbiterNode> nodes =
                TestNodes.startCluster(dataDir, 3, Map.of("arbiter.undo-log-delete-period-ms", "300"));
        try (RawSeataClient tm = RawSeataClient.tm(nodes.get(0).port());
                RawSeataClient rm = RawSeataClient.rm(nodes.get(0).port(), "jdbc:pg://orders", "2.5.0");
                RawSeataClient elsewhere = RawSeataClient.rm(nodes.get(2).port(), "jdbc:pg://orders", "2.5.0")) {
            String xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t"))).xid();
            BranchRegisterResponse r = (BranchRegisterResponse)
                    rm.call(new BranchRegisterRequest(xid, BranchType.AT, "jdbc:pg://orders", "orders:1", null));
            assertThat(r.resultCode()).isEqualTo(ResultCode.Success);
            Frame frame = elsewhere.readWithin(20_000);
            assertThat(frame).as("an undo-log deletion request from node 2").isNotNull();
            assertThat(frame.body()).isEqualTo(new UndoLogDeleteRequest(BranchType.AT, "jdbc:pg://orders", (short) 7));
        } finally {
            nodes.forEach(ArbiterNode::close);
        }
    }
}
