package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterView;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /metadata/v1/watch}, Seata's long poll. Every parameter except {@code timeout} is a raft group whose
 * value is the term the client knows; Arbiter has one group and accepts any name. 200 at once when a known term is
 * older than this node's term, otherwise 200 on the next change, or 304 after the timeout ({@code timeout} in ms,
 * capped at the configured watch timeout; Seata would also register "timeout" as a group). Empty bodies.
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
        long known = Long.MAX_VALUE;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getKey().equals(TIMEOUT_PARAM)) {
                known = Math.min(known, term(e.getKey(), e.getValue()));
            }
        }
        if (known == Long.MAX_VALUE) {
            throw ApiException.badRequest("no group=term parameter to watch");
        }
        if (known < view.term()) {
            exchange.respond(Responses.empty(HttpResponseStatus.OK));
            return;
        }
        new Poll(exchange).start(known, timeoutMs);
    }

    /** One parked long poll; answered by whichever comes first: a change, the timer, or the client going away. */
    private final class Poll {
        private final Exchange exchange;
        private volatile ScheduledFuture<?> timer;
        private volatile WatchRegistry.Watcher watcher;

        Poll(Exchange exchange) {
            this.exchange = exchange;
        }

        void start(long knownTerm, long timeoutMs) {
            exchange.defer(this::abandoned);
            timer = exchange.executor().schedule(this::timedOut, timeoutMs, TimeUnit.MILLISECONDS);
            watcher = registry.park(knownTerm, this::changed); // may call changed() at once
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
