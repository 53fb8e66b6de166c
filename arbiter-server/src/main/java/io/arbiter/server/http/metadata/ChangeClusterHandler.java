package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /metadata/v1/changeCluster?raftClusterStr=ip:raftPort,...}: replaces the membership through
 * {@link ClusterView#changeMembers} and answers Seata's Result once the new configuration is committed. Unlike
 * Seata (always HTTP 200), a bad address list is 400, a refused change 400, a failed one 500, and one not
 * confirmed within {@link #TIMEOUT} 504 (it may still complete).
 *
 * <p>Threading: runs on the event loop; the answer comes from the change future or an event-loop timer.
 */
final class ChangeClusterHandler {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(ChangeClusterHandler.class);

    private final ClusterView view;

    ChangeClusterHandler(ClusterView view) {
        this.view = view;
    }

    void handle(Exchange exchange, FullHttpRequest request) {
        List<ClusterMember> members =
                RaftClusterString.parse(RequestParams.of(request).get("raftClusterStr"), view.members());
        LOG.info("changing the cluster membership to {}", members);
        exchange.defer(() -> {});
        var timer = exchange.executor()
                .schedule(
                        () -> exchange.respond(Responses.error(
                                HttpResponseStatus.GATEWAY_TIMEOUT,
                                "the membership change was not confirmed within " + TIMEOUT.toSeconds()
                                        + " s; it may still complete")),
                        TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS);
        view.changeMembers(members).whenComplete((ignored, error) -> {
            timer.cancel(false);
            if (error == null) {
                exchange.respond(Responses.success());
                return;
            }
            Throwable cause = unwrap(error);
            LOG.warn("membership change to {} failed", members, cause);
            HttpResponseStatus status = cause instanceof IllegalArgumentException
                    ? HttpResponseStatus.BAD_REQUEST
                    : HttpResponseStatus.INTERNAL_SERVER_ERROR;
            exchange.respond(Responses.error(status, "membership change failed: " + cause.getMessage()));
        });
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
