package io.arbiter.server.http.metadata;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /metadata/v1/cluster[?group=..]}: Seata's MetadataResponse for any or no {@code group} (Arbiter has
 * one raft group; the clients' first call sends {@code group=}). 503 while this node knows no members, where Seata
 * would answer {@code "nodes":null} and make the client fail with a NullPointerException.
 */
final class ClusterHandler {
    private final ClusterMetadata metadata;

    ClusterHandler(ClusterMetadata metadata) {
        this.metadata = metadata;
    }

    void handle(Exchange exchange, FullHttpRequest request) {
        var shape = ClusterMetadata.Shape.of(request.headers());
        exchange.respond(metadata.describe(exchange.client(), shape)
                .map(r -> Responses.json(HttpResponseStatus.OK, r))
                .orElseGet(() -> Responses.error(
                        HttpResponseStatus.SERVICE_UNAVAILABLE, "this node does not know the cluster membership yet")));
    }
}
