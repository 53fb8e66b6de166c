package io.arbiter.server.rpc;

import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.BranchEndRequest;
import io.arbiter.protocol.message.BranchEndResponse;
import io.arbiter.protocol.message.BranchRollbackResponse;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers a phase-two call to a resource manager wherever it is connected: over a channel of this node if one
 * suits (Seata's choice rule, {@link RmDirectory#choose}), otherwise through a peer that said it holds a suitable
 * RM ({@link PeerRms}), which calls its own RM channel; should that fail, through the other peers in turn. A peer
 * without a suitable RM answers with {@link #NO_RM}.
 *
 * <p>Threading: thread-safe, non-blocking.
 */
public final class BranchCaller implements BranchCalls {
    /** Message of the answer a node gives when it holds no suitable RM channel. */
    public static final String NO_RM = "arbiter: no RM channel here";

    private final RmDirectory rms;
    private final OutboundCalls calls;
    private final ClusterView cluster;
    private final PeerLinks peers;
    private final PeerRms peerRms;
    private final Duration timeout;

    public BranchCaller(
            RmDirectory rms,
            OutboundCalls calls,
            ClusterView cluster,
            PeerLinks peers,
            PeerRms peerRms,
            Duration timeout) {
        this.rms = rms;
        this.calls = calls;
        this.cluster = cluster;
        this.peers = peers;
        this.peerRms = peerRms;
        this.timeout = timeout;
    }

    /** Calls the RM; completes with its answer, or fails if no node could reach a suitable RM. */
    @Override
    public CompletableFuture<BranchEndResponse> call(
            BranchEndRequest request, String clientId, String appId, boolean anyApp) {
        CompletableFuture<BranchEndResponse> local = callLocal(request, clientId, appId, anyApp);
        if (local != null) {
            return local;
        }
        List<ClusterMember> others = cluster.members().stream()
                .filter(m -> !m.equals(cluster.self()))
                .toList();
        List<ClusterMember> order =
                peerRms.order(others, request.resourceId(), clientId, appId, anyApp, cluster::reachable);
        return viaPeer(order, 0, request, PeerHeaders.relayed(clientId, appId, anyApp));
    }

    private CompletableFuture<BranchEndResponse> viaPeer(
            List<ClusterMember> peerList, int index, BranchEndRequest request, Map<String, String> head) {
        if (index >= peerList.size()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("no RM connected for resource " + request.resourceId()));
        }
        return peers.call(peerList.get(index), request, head, timeout.plusSeconds(2))
                .handle((answer, error) -> answer instanceof BranchEndResponse r && !NO_RM.equals(r.msg()) ? r : null)
                .thenCompose(r ->
                        r != null ? CompletableFuture.completedFuture(r) : viaPeer(peerList, index + 1, request, head));
    }

    /** Calls an RM connected to this node, or returns null if none suits. */
    public CompletableFuture<BranchEndResponse> callLocal(
            BranchEndRequest request, String clientId, String appId, boolean anyApp) {
        Channel channel = rms.choose(request.resourceId(), clientId, appId, anyApp);
        if (channel == null) {
            return null;
        }
        return calls.call(channel, request, timeout).thenApply(BranchEndResponse.class::cast);
    }

    /** Serves a call relayed by a peer: our RM's answer, or {@link #NO_RM}. */
    CompletableFuture<SeataMessage> serveRelayed(BranchEndRequest request, Map<String, String> head) {
        CompletableFuture<BranchEndResponse> local = callLocal(
                request,
                head.get(PeerHeaders.CLIENT),
                head.get(PeerHeaders.APP),
                Boolean.parseBoolean(head.get(PeerHeaders.ANY_APP)));
        if (local == null) {
            return CompletableFuture.completedFuture(noRm(request));
        }
        return local.handle((answer, error) -> error == null ? answer : noRm(request));
    }

    private static SeataMessage noRm(BranchEndRequest request) {
        if (request instanceof BranchCommitRequest) {
            return new BranchCommitResponse(
                    ResultCode.Failed,
                    TransactionExceptionCode.FailedToSendBranchCommitRequest,
                    NO_RM,
                    request.xid(),
                    request.branchId(),
                    io.arbiter.protocol.BranchStatus.PhaseTwo_CommitFailed_Retryable);
        }
        return new BranchRollbackResponse(
                ResultCode.Failed,
                TransactionExceptionCode.FailedToSendBranchRollbackRequest,
                NO_RM,
                request.xid(),
                request.branchId(),
                io.arbiter.protocol.BranchStatus.PhaseTwo_RollbackFailed_Retryable);
    }
}
