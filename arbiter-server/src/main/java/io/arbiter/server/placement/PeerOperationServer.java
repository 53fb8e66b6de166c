package io.arbiter.server.placement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.protocol.message.PeerOperationRequest;
import io.arbiter.protocol.message.PeerOperationResponse;
import io.arbiter.server.meta.FragmentOperations;
import io.arbiter.server.meta.MetaReplicaKeeper;
import io.arbiter.server.rpc.PeerOperationHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Carries out on this node the placement steps the meta leader's loop asks of it (they need a local replica of the
 * fragment: the Raft configuration change or leadership transfer starts from one), through the same
 * {@link FragmentOperations} the operator API uses, answers load reports, and starts a replica of the meta group
 * when the meta leader is about to add this node to it.
 *
 * <p>Threading: called on event loops; never blocks.
 */
public final class PeerOperationServer implements PeerOperationHandler {
    static final ObjectMapper JSON = new ObjectMapper();

    private final FragmentOperations operations;
    private final NodeReporter reporter;
    private final MetaReplicaKeeper metaReplica;

    public PeerOperationServer(FragmentOperations operations, NodeReporter reporter, MetaReplicaKeeper metaReplica) {
        this.operations = operations;
        this.reporter = reporter;
        this.metaReplica = metaReplica;
    }

    @Override
    public CompletableFuture<PeerOperationResponse> serve(PeerOperationRequest request) {
        CompletableFuture<Void> done;
        try {
            done = switch (request.kind()) {
                case ADD_REPLICA -> operations.addReplica(request.fragmentId(), request.argument());
                case REMOVE_REPLICA -> operations.removeReplica(request.fragmentId(), request.argument());
                case TRANSFER_LEADER -> operations.transferLeader(request.fragmentId(), request.argument());
                case REPORT -> CompletableFuture.completedFuture(null);
                case JOIN_META -> metaReplica.join();
            };
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new PeerOperationResponse(false, reason(e)));
        }
        return done.handle((ignored, error) -> {
            if (error != null) {
                return new PeerOperationResponse(false, reason(error));
            }
            return new PeerOperationResponse(
                    true, request.kind() == PeerOperationRequest.Kind.REPORT ? toJson(reporter.report()) : "");
        });
    }

    static String reason(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private static String toJson(NodeReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
