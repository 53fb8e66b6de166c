package io.arbiter.server.rpc;

import io.arbiter.protocol.message.PeerOperationRequest;
import io.arbiter.protocol.message.PeerOperationResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Serves the placement steps and load reports a peer asks of this node ({@link PeerOperationRequest}, accepted on
 * peer links only).
 *
 * <p>Threading: called on event loops; must not block (answer with a future).
 */
@FunctionalInterface
public interface PeerOperationHandler {
    /** Answers every request with a refusal: for nodes and tests without placement. */
    PeerOperationHandler NONE = request -> CompletableFuture.completedFuture(
            new PeerOperationResponse(false, "this node does not serve placement operations"));

    CompletableFuture<PeerOperationResponse> serve(PeerOperationRequest request);
}
