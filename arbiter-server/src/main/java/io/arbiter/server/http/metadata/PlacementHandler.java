package io.arbiter.server.http.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.arbiter.placement.ClusterState;
import io.arbiter.placement.FragmentState;
import io.arbiter.placement.NodeState;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.meta.FragmentOperations;
import io.arbiter.server.meta.MetaCommand;
import io.arbiter.server.meta.OperatorRecord;
import io.arbiter.server.placement.PlacementLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The placement API. {@code GET /api/v1/cluster}: nodes (reachability, draining, replicas, leaders, CPU),
 * fragments (replicas, leader, load) and the placement operators running and recent, as the meta group's leader
 * sees them (another node asks it and passes its answer on). {@code POST /api/v1/nodes/drain} and
 * {@code /api/v1/nodes/undrain} with {@code node} (host:raftPort): placement moves everything off a node (or stops).
 *
 * <p>Threading: runs on the event loop; the pass-on answers from the HTTP client's callback.
 */
final class PlacementHandler {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private final PlacementLoop loop;
    private final FragmentOperations operations;
    private final Supplier<Optional<ClusterMember>> metaLeader;
    private final String self;
    /** Whether a fragment is lock-only (it takes no begins by design, not because it is retiring). */
    private final java.util.function.IntPredicate lockOnly;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(ASK_TIMEOUT).build();

    PlacementHandler(
            PlacementLoop loop,
            FragmentOperations operations,
            Supplier<Optional<ClusterMember>> metaLeader,
            String self,
            java.util.function.IntPredicate lockOnly) {
        this.loop = loop;
        this.lockOnly = lockOnly;
        this.operations = operations;
        this.metaLeader = metaLeader;
        this.self = self;
    }

    void cluster(Exchange exchange, FullHttpRequest request) {
        ClusterState state = loop == null ? null : loop.lastState();
        if (state != null) {
            exchange.respond(Responses.json(HttpResponseStatus.OK, document(state, loop.operators())));
            return;
        }
        Optional<ClusterMember> leader = metaLeader.get().filter(m -> !m.id().equals(self));
        if (loop == null || leader.isEmpty() || RequestParams.of(request).containsKey("local")) {
            throw new ApiException(
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    loop == null
                            ? "placement is disabled on this node (arbiter.placement.enabled=false)"
                            : "the meta group has no leader that runs placement now; try again shortly");
        }
        HttpRequest.Builder ask = HttpRequest.newBuilder(URI.create(
                        "http://" + leader.get().host() + ":" + leader.get().httpPort() + "/api/v1/cluster?local=true"))
                .timeout(ASK_TIMEOUT)
                .GET();
        String token = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (token != null) {
            ask.header("Authorization", token);
        }
        exchange.defer(() -> {});
        http.sendAsync(ask.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((answer, error) -> {
            if (error != null) {
                exchange.respond(Responses.error(
                        HttpResponseStatus.BAD_GATEWAY,
                        "the meta leader " + leader.get().id() + " did not answer: " + error.getMessage()));
                return;
            }
            try {
                JsonNode body = Responses.JSON.readTree(answer.body());
                exchange.respond(Responses.json(HttpResponseStatus.valueOf(answer.statusCode()), body));
            } catch (java.io.IOException e) {
                exchange.respond(Responses.error(
                        HttpResponseStatus.BAD_GATEWAY,
                        "unreadable answer from the meta " + "leader: " + e.getMessage()));
            }
        });
    }

    void drain(Exchange exchange, FullHttpRequest request) {
        setDraining(exchange, request, true);
    }

    void undrain(Exchange exchange, FullHttpRequest request) {
        setDraining(exchange, request, false);
    }

    private void setDraining(Exchange exchange, FullHttpRequest request, boolean draining) {
        String node = FragmentsHandler.node(RequestParams.of(request));
        FragmentsHandler.run(
                exchange,
                operations
                        .meta(new MetaCommand.SetDraining(node, draining))
                        .thenApply(epoch -> draining
                                ? "draining " + node + ": placement moves its replicas and leaders away"
                                : node + " takes replicas and leaders again"));
    }

    /** The JSON document of {@code GET /api/v1/cluster}. */
    record ClusterDocument(
            String metaLeader,
            List<String> metaVoters,
            String lastMetaChange,
            List<Map<String, Object>> nodes,
            List<Map<String, Object>> fragments,
            List<Map<String, Object>> operators) {}

    private ClusterDocument document(ClusterState state, List<OperatorRecord> shown) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (NodeState n : state.nodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("reachable", n.reachable());
            m.put("since", n.sinceMs());
            m.put("draining", n.draining());
            m.put(
                    "replicas",
                    state.fragments().stream()
                            .filter(f -> f.hasReplicaOn(n.id()))
                            .count());
            m.put(
                    "leaders",
                    state.fragments().stream()
                            .filter(f -> n.id().equals(f.leader()))
                            .count());
            m.put("cpu", n.cpu());
            nodes.add(m);
        }
        List<Map<String, Object>> fragments = new ArrayList<>();
        for (FragmentState f : state.fragments()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("replicas", f.replicas());
            m.put("leader", f.leader());
            m.put("acceptsBegins", f.acceptsBegins());
            m.put("lockOnly", lockOnly.test(f.id()));
            m.put("commandsPerSecond", f.commandsPerSecond());
            m.put("activeTransactions", f.activeTransactions());
            m.put("overloadedSamples", f.overloadedSamples());
            if (f.voters() != null) {
                m.put("voters", f.voters()); // only while the Raft group disagrees with the map
            }
            fragments.add(m);
        }
        List<Map<String, Object>> operators = new ArrayList<>();
        for (OperatorRecord r : shown) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("kind", r.kind());
            m.put("fragment", r.fragment());
            m.put("steps", r.steps());
            m.put("reason", r.reason());
            m.put("outcome", r.outcome());
            m.put("stepsDone", r.stepsDone());
            m.put("startedAt", r.startedMs());
            m.put("endedAt", r.endedMs());
            m.put("detail", r.detail());
            m.put("by", r.by());
            operators.add(m);
        }
        return new ClusterDocument(self, loop.metaVoters(), loop.lastMetaChange(), nodes, fragments, operators);
    }
}
