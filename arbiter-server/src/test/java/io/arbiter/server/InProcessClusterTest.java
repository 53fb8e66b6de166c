package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterTMRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM over real sockets: every node serves every request (followers forward to the leader),
 * phase two reaches an RM connected to a follower, and after the leader stops, a transaction begun before
 * finishes normally through the new leader.
 */
class InProcessClusterTest {
    @TempDir
    Path dataDir;

    private final List<ArbiterNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(ArbiterNode::close);
    }

    private String raftList;

    private void startCluster() throws Exception {
        nodes.addAll(TestNodes.startCluster(dataDir, 3, Map.of()));
        raftList = nodes.stream()
                .map(n -> "127.0.0.1:" + n.config().raftPort())
                .reduce((x, y) -> x + "," + y)
                .orElseThrow();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> nodes.stream().filter(ArbiterNode::isLeader).count() == 1
                        && nodes.stream().allMatch(n -> n.cluster().leader().isPresent()));
    }

    private static Map<String, String> conventionalPorts(int rpc) {
        Map<String, String> ports = new HashMap<>();
        ports.put("arbiter.port", String.valueOf(rpc));
        ports.put("arbiter.http-port", String.valueOf(rpc - 1000));
        ports.put("arbiter.raft-port", String.valueOf(rpc + 1000));
        return ports;
    }

    private static String health(ArbiterNode node) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void aFourthNodeJoinsAndAMemberLeavesWhileTransactionsRun() throws Exception {
        startCluster();
        int rpc4 = TestNodes.conventionalRpcPort();
        Map<String, String> extra = conventionalPorts(rpc4);
        extra.put("arbiter.cluster", raftList + ",127.0.0.1:" + (rpc4 + 1000));
        extra.put("arbiter.join", "true");
        ArbiterNode fourth = TestNodes.start(dataDir.resolve("n4"), extra);
        nodes.add(fourth);
        ArbiterNode entry = followers().get(0);
        BeginCommitLoad load = new BeginCommitLoad(entry);
        AtomicInteger committed = load.committed;
        await().atMost(Duration.ofSeconds(10)).until(() -> committed.get() > 20);

        assertThat(TestNodes.changeCluster(entry, raftList + ",127.0.0.1:" + (rpc4 + 1000)))
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fourth.cluster().members().size() == 4
                        && fourth.cluster().leader().isPresent());
        int before = committed.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> committed.get() > before + 20);

        ArbiterNode leaving = followers().stream()
                .filter(n -> n != entry && n != fourth)
                .findFirst()
                .orElseThrow();
        String without = nodes.stream()
                .filter(n -> n != leaving)
                .map(n -> "127.0.0.1:" + n.config().raftPort())
                .reduce((a, b) -> a + "," + b)
                .orElseThrow();
        assertThat(TestNodes.changeCluster(fourth, without)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> entry.cluster().members().size() == 3);
        int afterRemoval = committed.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> committed.get() > afterRemoval + 20);
        load.close();
        assertThat(load.failed.get())
                .as("failed transactions during membership changes: %s", load.failures)
                .isZero();
        // a node outside the meta group hears of the change at its next poll of the map
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(fourth.cluster().members()).hasSize(3));
    }

    private ArbiterNode leader() {
        return nodes.stream().filter(ArbiterNode::isLeader).findFirst().orElseThrow();
    }

    private List<ArbiterNode> followers() {
        return nodes.stream().filter(n -> !n.isLeader()).toList();
    }

    @Test
    void followersServeAndPhaseTwoReachesAnRmOnAnotherNode() throws Exception {
        startCluster();
        ArbiterNode f1 = followers().get(0);
        ArbiterNode f2 = followers().get(1);
        try (RawSeataClient tm = new RawSeataClient(f1.port());
                RawSeataClient rm = new RawSeataClient(f2.port())) {
            tm.call(new RegisterTMRequest("2.0.0", "app", "grp", null));
            rm.call(new RegisterRMRequest("2.0.0", "app", "grp", null, "tcc-r"));
            GlobalBeginResponse begin = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t"));
            assertThat(begin.resultCode()).isEqualTo(ResultCode.Success);
            BranchRegisterResponse branch = (BranchRegisterResponse)
                    rm.call(new BranchRegisterRequest(begin.xid(), BranchType.TCC, "tcc-r", null, "{}"));
            assertThat(branch.resultCode()).isEqualTo(ResultCode.Success);

            int commitId = tm.send(new GlobalCommitRequest(begin.xid()));
            Frame call = rm.read();
            BranchCommitRequest req = (BranchCommitRequest) call.body();
            assertThat(req.branchId()).isEqualTo(branch.branchId());
            rm.sendFrame(Frame.responseTo(
                    call,
                    new BranchCommitResponse(
                            ResultCode.Success,
                            TransactionExceptionCode.Unknown,
                            null,
                            req.xid(),
                            req.branchId(),
                            BranchStatus.PhaseTwo_Committed)));
            Frame answer = tm.read();
            assertThat(answer.requestId()).isEqualTo(commitId);
            assertThat(((GlobalCommitResponse) answer.body()).globalStatus()).isEqualTo(GlobalStatus.Committed);
        }
    }

    /** Item 4 of the HA issue: nodes tell each other which RMs they hold, on registration and on disconnection. */
    @Test
    void theLeaderLearnsWhichNodeHoldsAnRm() throws Exception {
        startCluster();
        ArbiterNode leader = leader();
        ArbiterNode holder = followers().get(1);
        String holderId = holder.config().selfId();
        try (RawSeataClient rm = new RawSeataClient(holder.port())) {
            rm.call(new RegisterRMRequest("2.0.0", "app", "grp", null, "tcc-r,tcc-s"));
            await().atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(leader.peerRms().describe())
                            .hasEntrySatisfying(
                                    holderId,
                                    rms -> assertThat(rms)
                                            .singleElement()
                                            .asString()
                                            .startsWith("app:127.0.0.1:")
                                            .endsWith(" [tcc-r, tcc-s]")));
            String other = followers().get(0).config().selfId(); // announces too, with nothing to say
            await().atMost(Duration.ofSeconds(8))
                    .untilAsserted(() -> assertThat(leader.peerRms().describe()).containsEntry(other, List.of()));
        }
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() ->
                        assertThat(leader.peerRms().describe().get(holderId)).isEmpty());
    }

    @Test
    void aTransactionBegunBeforeTheLeaderStopsCommitsAfterwards() throws Exception {
        startCluster();
        ArbiterNode oldLeader = leader();
        ArbiterNode entry = followers().get(0);
        try (RawSeataClient tm = new RawSeataClient(entry.port())) {
            tm.call(new RegisterTMRequest("2.5.0", "app", "grp", null));
            String xid = ((GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t"))).xid();
            oldLeader.close();
            nodes.remove(oldLeader);
            long start = System.nanoTime();
            GlobalCommitResponse commit = (GlobalCommitResponse) tm.call(new GlobalCommitRequest(xid));
            long pauseMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(commit.resultCode()).isEqualTo(ResultCode.Success);
            assertThat(commit.globalStatus()).isEqualTo(GlobalStatus.Committed);
            assertThat(pauseMillis).as("failover pause").isLessThan(10_000);
            String oldLeaderId = oldLeader.config().selfId();
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () -> assertThat(health(entry)).contains("\"unreachable\":[\"" + oldLeaderId + "\"]"));
            assertThat(((GlobalStatusResponse) tm.call(new GlobalStatusRequest(xid))).globalStatus())
                    .isEqualTo(GlobalStatus.Finished);
            GlobalBeginResponse after = (GlobalBeginResponse) tm.call(new GlobalBeginRequest(60_000, "t2"));
            assertThat(after.resultCode()).isEqualTo(ResultCode.Success);
        }
    }
}
