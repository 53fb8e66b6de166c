package io.arbiter.server.rpc;

import io.arbiter.protocol.message.BranchEndRequest;
import io.arbiter.protocol.message.BranchEndResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Phase-two calls to resource managers as the phase-two driver makes them: {@link BranchCaller} in production, a
 * fake RM side in simulations.
 *
 * <p>Threading: implementations are thread-safe and never block.
 */
public interface BranchCalls {

    /** Calls a suitable RM; completes with its answer, or fails if none could be reached. */
    CompletableFuture<BranchEndResponse> call(BranchEndRequest request, String clientId, String appId, boolean anyApp);
}
