package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.meta.FragmentOperations;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The fragments admin API. {@code GET /api/v1/fragments}: the cluster map with each fragment's replicas, leader,
 * whether it takes new transactions, how many lock slots it owns, and, for the replicas on this node, their role and
 * live transactions and locks. {@code POST /api/v1/fragments/{create|add-replica|remove-replica|transfer-leader|
 * retire}} with form or query parameters {@code fragment}, {@code node}, {@code replicas} (comma-separated node ids,
 * {@code host_raftPort} or {@code host:raftPort}):
 * the operations of {@link FragmentOperations}; a request that does not fit the cluster gets 400 or 409 with the
 * reason.
 *
 * <p>Threading: runs on the event loop; operations answer from their futures or an event-loop timer.
 */
final class FragmentsHandler {
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(90);

    private final Fragments fragments;
    private final FragmentOperations operations;
    private final BooleanSupplier replicated;

    /** @param replicated whether this node follows the meta group's map yet (else the one its configuration implies) */
    FragmentsHandler(Fragments fragments, FragmentOperations operations, BooleanSupplier replicated) {
        this.fragments = fragments;
        this.operations = operations;
        this.replicated = replicated;
    }

    /** The JSON document of {@code GET /api/v1/fragments}. */
    record FragmentsDocument(long epoch, boolean replicated, String node, List<Map<String, Object>> fragments) {}

    void list(Exchange exchange, FullHttpRequest request) {
        ClusterMap map = fragments.map();
        Map<Integer, Integer> slotCounts = map.slots().slotCounts();
        List<Map<String, Object>> list = new ArrayList<>();
        for (ClusterMap.FragmentInfo info : map.fragments()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", info.id());
            f.put("replicas", info.replicas());
            f.put("leader", fragments.leaderOf(info.id()).map(ClusterMember::id).orElse(null));
            f.put("acceptsBegins", info.takesBegins());
            f.put("lockOnly", info.lockOnly());
            f.put("lockSlots", slotCounts.getOrDefault(info.id(), 0));
            Optional<Fragment> here = fragments.local(info.id());
            if (here.isPresent()) {
                f.put("role", here.get().isLeader() ? "leader" : "follower");
                f.put("transactions", here.get().stateMachine().transactionCount());
                f.put("locks", here.get().stateMachine().lockCount());
            }
            list.add(f);
        }
        exchange.respond(Responses.json(
                HttpResponseStatus.OK,
                new FragmentsDocument(map.epoch(), replicated.getAsBoolean(), fragments.selfId(), list)));
    }

    void create(Exchange exchange, FullHttpRequest request) {
        Map<String, String> params = RequestParams.of(request);
        String replicas = params.get("replicas");
        if (replicas == null || replicas.isBlank()) {
            throw ApiException.badRequest("'replicas' is required: comma-separated node ids (host:raftPort)");
        }
        Integer id = params.containsKey("fragment") ? fragmentId(params.get("fragment")) : null;
        List<String> nodes =
                Arrays.stream(replicas.split(",")).map(FragmentsHandler::nodeId).toList();
        run(exchange, operations.create(id, nodes).thenApply(created -> "fragment " + created + " created"));
    }

    void addReplica(Exchange exchange, FullHttpRequest request) {
        Map<String, String> params = RequestParams.of(request);
        run(
                exchange,
                operations
                        .addReplica(fragmentId(params.get("fragment")), node(params))
                        .thenApply(ok -> "replica added"));
    }

    void removeReplica(Exchange exchange, FullHttpRequest request) {
        Map<String, String> params = RequestParams.of(request);
        run(
                exchange,
                operations
                        .removeReplica(fragmentId(params.get("fragment")), node(params))
                        .thenApply(ok -> "replica removed"));
    }

    void transferLeader(Exchange exchange, FullHttpRequest request) {
        Map<String, String> params = RequestParams.of(request);
        run(
                exchange,
                operations
                        .transferLeader(fragmentId(params.get("fragment")), node(params))
                        .thenApply(ok -> "leadership moved"));
    }

    void retire(Exchange exchange, FullHttpRequest request) {
        Map<String, String> params = RequestParams.of(request);
        run(
                exchange,
                operations
                        .retire(fragmentId(params.get("fragment")))
                        .thenApply(ok ->
                                "retired: no new transactions; its lock slots move to another fragment once it is empty, "
                                        + "then it is dropped"));
    }

    static void run(Exchange exchange, CompletableFuture<String> operation) {
        exchange.defer(() -> {});
        var timer = exchange.executor()
                .schedule(
                        () -> exchange.respond(Responses.error(
                                HttpResponseStatus.GATEWAY_TIMEOUT,
                                "not confirmed within " + OPERATION_TIMEOUT.toSeconds() + " s; it may still complete")),
                        OPERATION_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS);
        operation.whenComplete((message, error) -> {
            timer.cancel(false);
            if (error == null) {
                exchange.respond(Responses.json(HttpResponseStatus.OK, new Responses.Result("200", message, true)));
                return;
            }
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            exchange.respond(Responses.error(
                    cause instanceof FragmentOperations.Refused
                            ? HttpResponseStatus.CONFLICT
                            : HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    cause.getMessage()));
        });
    }

    static String node(Map<String, String> params) {
        String node = params.get("node");
        if (node == null || node.isBlank()) {
            throw ApiException.badRequest("'node' is required: a node id (host:raftPort)");
        }
        return nodeId(node);
    }

    /** A node as the map names it: its id ({@code host_raftPort}), also accepted as {@code host:raftPort}. */
    static String nodeId(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon > 0
                && colon < t.length() - 1
                && t.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return ClusterMember.idFor(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
        }
        return t;
    }

    private static int fragmentId(String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("'fragment' is required: a fragment id");
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'fragment' must be a fragment id (a number), got '" + text + "'");
        }
    }
}
