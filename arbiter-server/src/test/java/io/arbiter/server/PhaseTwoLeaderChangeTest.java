package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.BranchRollbackRequest;
import io.arbiter.protocol.message.BranchRollbackResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.server.coordinator.Housekeeping;
import io.arbiter.server.fragment.Fragment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leadership of a fragment moves while its leader waits for an RM's phase-two answer: the RM is called once. The
 * new leader does not call it again at once (the old leader's call is still in flight), and the answer the old
 * leader gets after it stopped leading reaches the new leader, which ends the transaction with it.
 */
class PhaseTwoLeaderChangeTest {
    private static final String TCC = "tcc-handover";

    @TempDir
    Path dataDir;

    private final List<ArbiterNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(ArbiterNode::close);
    }

    @Test
    void aRollbackInFlightDuringALeaderTransferReachesTheRmOnce() throws Exception {
        nodes.addAll(TestNodes.startCluster(
                dataDir, 3, Map.of("arbiter.fragments", "1", "arbiter.placement.enabled", "false")));
        await().atMost(Duration.ofSeconds(40))
                .until(() ->
                        nodes.stream().anyMatch(n -> !n.fragments().ledHere().isEmpty()));
        ArbiterNode oldLeader = nodes.stream()
                .filter(n -> !n.fragments().ledHere().isEmpty())
                .findFirst()
                .orElseThrow();
        Fragment fragment = oldLeader.fragments().ledHere().get(0);
        ArbiterNode newLeader =
                nodes.stream().filter(n -> n != oldLeader).findFirst().orElseThrow();

        try (RawSeataClient tm = RawSeataClient.tm(oldLeader.port());
                RawSeataClient rm = RawSeataClient.rm(oldLeader.port(), TCC, "2.5.0")) {
            String xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(1_000, "handover"))).xid();
            BranchRegisterResponse branch =
                    (BranchRegisterResponse) rm.call(new BranchRegisterRequest(xid, BranchType.TCC, TCC, null, null));
            assertThat(branch.resultCode()).isEqualTo(ResultCode.Success);

            Frame first = rm.readUntil(BranchRollbackRequest.class, 10_000);
            assertThat(first).as("the timeout rollback").isNotNull();
            // the answer is held back while the fragment's leadership moves
            fragment.group().transferLeadership(newLeader.config().selfId()).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> newLeader
                            .fragments()
                            .local(fragment.id())
                            .orElseThrow()
                            .isLeader());
            assertThat(rm.readUntil(BranchRollbackRequest.class, 300))
                    .as("a second rollback while the first is unanswered")
                    .isNull();

            BranchRollbackRequest call = (BranchRollbackRequest) first.body();
            rm.sendFrame(Frame.responseTo(
                    first,
                    new BranchRollbackResponse(
                            ResultCode.Success,
                            TransactionExceptionCode.Unknown,
                            null,
                            call.xid(),
                            call.branchId(),
                            BranchStatus.PhaseTwo_Rollbacked)));

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(
                                    ((GlobalStatusResponse) tm.call(new GlobalStatusRequest(xid))).globalStatus())
                            .as("ended (Seata answers Finished for a transaction no longer live)")
                            .isEqualTo(GlobalStatus.Finished));
            assertThat(rm.readUntil(BranchRollbackRequest.class, (int) (Housekeeping.RESUME_GRACE.toMillis() + 2_000)))
                    .as("the rollback delivered again after the leader change")
                    .isNull();
        }
    }
}
