package io.arbiter.server.http.webconsole;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiter.server.WallClock;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.arbiter.server.http.HttpApiServer;
import io.arbiter.server.http.metadata.Exchange;
import io.arbiter.server.http.metadata.Responses;
import io.arbiter.server.metrics.FragmentSummary;
import io.arbiter.server.metrics.LatencyHistogram;
import io.arbiter.server.metrics.NodeMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * {@code GET /api/v1/overview/stats}: the figures the console's overview charts, as cumulative counters that the
 * page turns into rates and interval percentiles. {@code ?scope=node}: this node's fragment replicas
 * ({@link FragmentSummary}); default ({@code scope=cluster}): every member's, fetched from each member's HTTP port
 * with {@code scope=node} (an unreachable member is listed with {@code reachable: false}). Open like
 * {@code /metrics}: it is a summary of the same counters.
 */
public final class OverviewEndpoint implements HttpApiServer.Endpoint {
    public static final String PATH = "/api/v1/overview/stats";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);
    private final NodeMetrics metrics;
    private final ClusterView cluster;
    private final LongSupplier clock;
    private volatile HttpClient client; // made on the first cluster-wide request (it keeps a selector thread)

    public OverviewEndpoint(NodeMetrics metrics, ClusterView cluster) {
        this(metrics, cluster, WallClock::millis);
    }

    OverviewEndpoint(NodeMetrics metrics, ClusterView cluster, LongSupplier clock) {
        this.metrics = metrics;
        this.cluster = cluster;
        this.clock = clock;
    }

    @Override
    public boolean owns(String path) {
        return path.equals(PATH);
    }

    @Override
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        Exchange exchange = new Exchange(ctx, request);
        if (!request.method().equals(HttpMethod.GET)) {
            FullHttpResponse r = Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, PATH + " takes GET");
            r.headers().set(HttpHeaderNames.ALLOW, "GET");
            exchange.respond(r);
            return;
        }
        List<String> scope = new QueryStringDecoder(request.uri()).parameters().get("scope");
        Map<String, Object> self = node();
        if (scope != null && scope.contains("node")) {
            exchange.respond(Responses.json(HttpResponseStatus.OK, self));
            return;
        }
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (ClusterMember m : cluster.members()) {
            answers.add(m.id().equals(cluster.self().id()) ? CompletableFuture.completedFuture(self) : peer(m));
        }
        exchange.defer(() -> {});
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("time", clock.getAsLong());
            doc.put("self", cluster.self().id());
            doc.put("latencyBoundsMs", LatencyHistogram.BOUNDS_MS);
            doc.put("nodes", answers.stream().map(CompletableFuture::join).toList());
            exchange.respond(Responses.json(HttpResponseStatus.OK, doc));
        });
    }

    private Map<String, Object> node() {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("node", cluster.self().id());
        n.put("reachable", true);
        n.put("time", clock.getAsLong());
        n.put("fragments", metrics.fragmentSummaries());
        return n;
    }

    private CompletableFuture<Object> peer(ClusterMember m) {
        URI uri = URI.create("http://" + m.host() + ":" + m.httpPort() + PATH + "?scope=node");
        HttpRequest req =
                HttpRequest.newBuilder(uri).timeout(PEER_TIMEOUT).GET().build();
        return client().sendAsync(req, HttpResponse.BodyHandlers.ofString())
                .<Object>thenApply(r -> {
                    if (r.statusCode() != 200) {
                        return unreachable(m, "HTTP " + r.statusCode());
                    }
                    try {
                        JsonNode body = Responses.JSON.readTree(r.body());
                        return body;
                    } catch (java.io.IOException e) {
                        return unreachable(m, "bad answer");
                    }
                })
                .exceptionally(e -> unreachable(m, String.valueOf(e.getMessage())));
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client =
                            HttpClient.newBuilder().connectTimeout(PEER_TIMEOUT).build();
                }
                c = client;
            }
        }
        return c;
    }

    private static Map<String, Object> unreachable(ClusterMember m, String why) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("node", m.id());
        n.put("reachable", false);
        n.put("error", why);
        n.put("fragments", List.of());
        return n;
    }
}
