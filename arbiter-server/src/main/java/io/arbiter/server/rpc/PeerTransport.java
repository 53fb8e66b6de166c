package io.arbiter.server.rpc;

import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.server.cluster.ClusterMember;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How a node sends a request to a peer and gets its answer: {@link PeerLinks} in production (Seata frames over TCP);
 * a simulated network in deterministic tests, which may drop, duplicate and delay messages.
 *
 * <p>Threading: implementations are thread-safe and never block.
 */
public interface PeerTransport {

    /**
     * Sends {@code request} to {@code peer} with a head map; completes with the answer body, or fails when the link
     * fails or no answer came within {@code timeout}.
     */
    CompletableFuture<SeataMessage> call(
            ClusterMember peer, SeataMessage request, Map<String, String> head, Duration timeout);
}
