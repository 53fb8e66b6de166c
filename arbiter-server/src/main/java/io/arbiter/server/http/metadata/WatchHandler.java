package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /metadata/v1/watch}, Seata's long poll. Every parameter except {@code timeout} is a raft group whose
 * value is the {@link MetadataTerm} the client holds; Arbiter has one group and accepts any name. 200 at once when
 * the client's metadata is stale here: an older Raft term, another membership, or it names as LEADER (the node the
 * client sends to) a member this node cannot reach. Otherwise 200 on the next change this node sees (leader, membership, a member's
 * reachability), or 304 after the timeout ({@code timeout} in ms, capped at the configured watch timeout; Seata
 * would also register "timeout" as a group). Empty bodies.
 *
 * <p>The Seata client watches a node other than the one it sends to (its alive nodes minus its LEADER), so when
 * that node dies the watch answers as soon as the watched node notices, and the client fetches new metadata.
 *
 * <p>Threading: runs on the event loop; the answer comes from the change callback or an event-loop timer.
 */
final class WatchHandler {
    static final String TIMEOUT_PARAM = "timeout";

    private final ClusterView view;
    private final WatchRegistry registry;
    private final Duration maxTimeout;

    WatchHandler(ClusterView view, WatchRegistry registry, Duration maxTimeout) {
        this.view = view;
        this.registry = registry;
        this.maxTimeout = maxTimeout;
    }

    void handle(Exchange exchange, FullHttpRequest request) {
        Map<String, String> params = RequestParams.of(request);
        long timeoutMs = timeoutMs(params.get(TIMEOUT_PARAM));
        List<MetadataTerm> held = new ArrayList<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getKey().equals(TIMEOUT_PARAM)) {
                held.add(MetadataTerm.decode(term(e.getKey(), e.getValue())));
            }
        }
        if (held.isEmpty()) {
            throw ApiException.badRequest("no group=term parameter to watch");
        }
        long version = view.version(); // read first: a change after this wakes the poll
        long raftTerm = view.raftTerm();
        List<ClusterMember> members = view.members();
        if (held.stream().anyMatch(t -> t.isStale(raftTerm, members, view::reachable))) {
            exchange.respond(Responses.empty(HttpResponseStatus.OK));
            return;
        }
        new Poll(exchange).start(version, timeoutMs);
    }

    /** One parked long poll; answered by whichever comes first: a change, the timer, or the client going away. */
    private final class Poll {
        private final Exchange exchange;
        private volatile ScheduledFuture<?> timer;
        private volatile WatchRegistry.Watcher watcher;

        Poll(Exchange exchange) {
            this.exchange = exchange;
        }

        void start(long knownVersion, long timeoutMs) {
            exchange.defer(this::abandoned);
            timer = exchange.executor().schedule(this::timedOut, timeoutMs, TimeUnit.MILLISECONDS);
            watcher = registry.park(knownVersion, this::changed); // may call changed() at once
        }

        private void changed() {
            timer.cancel(false);
            exchange.respond(Responses.empty(HttpResponseStatus.OK));
        }

        private void timedOut() {
            registry.cancel(watcher);
            exchange.respond(Responses.empty(HttpResponseStatus.NOT_MODIFIED));
        }

        private void abandoned() {
            registry.cancel(watcher);
            timer.cancel(false);
        }
    }

    private long timeoutMs(String value) {
        long max = maxTimeout.toMillis();
        if (value == null) {
            return max;
        }
        try {
            long ms = Long.parseLong(value.trim());
            if (ms <= 0) {
                throw ApiException.badRequest("timeout must be a positive number of milliseconds, got " + value);
            }
            return Math.min(ms, max);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("timeout must be a number of milliseconds, got " + value);
        }
    }

    private static long term(String group, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("the term of group " + group + " must be a number, got " + value);
        }
    }
}
