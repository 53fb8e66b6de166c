package io.arbiter.server.routing;

import io.arbiter.core.Xids;
import io.arbiter.core.command.RequestId;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchReportRequest;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalEndRequest;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.coordinator.TransactionRequests;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.rpc.ClientSession;
import io.arbiter.server.rpc.PeerHeaders;
import io.arbiter.server.rpc.PeerTransport;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a Seata request goes. A begin goes to a fragment this node leads ({@code Fragments#beginFragment}; forwarded when it leads none);
 * every other request to the fragment named by its XID (the fragment id is in the transaction id's high bits). The
 * request is served here when this node leads that fragment, otherwise forwarded to the fragment's leader over a
 * peer link; while the fragment has no leader, or the one tried stopped leading, it is retried on whoever leads
 * then, with the same request id (so it is applied once), until a deadline below the client's own timeout.
 *
 * <p>What a request means is {@link TransactionRequests}'s business.
 *
 * <p>Threading: thread-safe; called on event loops; never blocks (everything is a future).
 */
public final class RequestRouter {
    /** How long a forwarded request may take on the leader (it may wait for a synchronous phase two). */
    private static final Duration FORWARD_TIMEOUT = Duration.ofMillis(TransactionRequests.OUTCOME_WAIT_MILLIS + 3_000);
    /** Pause between attempts while no leader is known. */
    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);

    private static final long RETRY_DELAY_MILLIS = 100;
    /**
     * How long a begin stays with the fragment first chosen for it (its request id makes a retry there harmless);
     * after that it is sent to whichever fragment can take it then: a begin has no XID yet, and one fragment in a
     * long leader change must not hold it until the client gives up. (If an earlier attempt did begin a transaction
     * whose answer was lost, that transaction has no branch and ends at its timeout.)
     */
    static final long BEGIN_STICKS_MILLIS = 2_000;

    private final Fragments fragments;
    private final TransactionRequests requests;
    private final PeerTransport peers;
    private final LongSupplier clock;
    private final Delays delays;
    private final long origin = new SecureRandom().nextLong();
    private final AtomicLong sequence = new AtomicLong();
    /**
     * Forwarded requests waiting for the node they were sent to, which led their fragment when they were sent; by
     * a sequence number, so that they are visited in the order they were sent (not in identity-hash order).
     */
    private final Map<Long, Forward> forwards = new ConcurrentSkipListMap<>();

    private final AtomicLong forwardSequence = new AtomicLong();
    private final AtomicBoolean watching = new AtomicBoolean();
    private final RoutingStats stats = new RoutingStats();

    private record Forward(
            int fragmentId, String leaderId, TransactionRequest request, CompletableFuture<ResultMessage> attempt) {}

    public RequestRouter(Fragments fragments, TransactionRequests requests, PeerTransport peers, LongSupplier clock) {
        this(fragments, requests, peers, clock, Delays.SYSTEM);
    }

    /** @param delays where retry pauses and hand-offs come from ({@link Delays#SYSTEM} in production) */
    public RequestRouter(
            Fragments fragments, TransactionRequests requests, PeerTransport peers, LongSupplier clock, Delays delays) {
        this.fragments = fragments;
        this.requests = requests;
        this.peers = peers;
        this.clock = clock;
        this.delays = delays;
    }

    /** Running totals of what this router did (for metrics). */
    public RoutingStats stats() {
        return stats;
    }

    /** A request from a client of this node. */
    public CompletableFuture<ResultMessage> handle(ClientSession session, TransactionRequest request) {
        RequestId id =
                TransactionRequests.needsRequestId(request) ? new RequestId(origin, sequence.incrementAndGet()) : null;
        long now = clock.getAsLong();
        long deadline = now + (session.role() == ClientSession.Role.RM ? 12_000 : 25_000);
        return route(session, request, id, now, deadline, -1);
    }

    /**
     * A request a peer forwarded because it believes this node leads {@code fragmentId} (-1 when the peer did not
     * say: then the fragment is the one the request names, and a begin's is chosen here). Served here, or answered
     * NotRaftLeader so that the peer retries on the fragment's current leader.
     */
    public CompletableFuture<ResultMessage> handleForwarded(
            ClientSession origin, TransactionRequest request, RequestId id, int fragmentId) {
        int f = fragmentId >= 0 ? fragmentId : fragmentOf(request);
        Optional<Fragment> here = f < 0 ? Optional.empty() : fragments.local(f).filter(Fragment::isLeader);
        if (here.isEmpty()) {
            return CompletableFuture.completedFuture(TransactionRequests.notLeader(request));
        }
        return requests.serve(here.get(), origin, request, id);
    }

    /** The fragment a request belongs to; for a begin, the one chosen for it now; -1 if none can be chosen. */
    int fragmentOf(TransactionRequest request) {
        if (request instanceof GlobalBeginRequest) {
            return fragments.beginFragment(clock.getAsLong());
        }
        String xid = request instanceof GlobalEndRequest r
                ? r.xid()
                : request instanceof BranchRegisterRequest r
                        ? r.xid()
                        : request instanceof BranchReportRequest r ? r.xid() : null;
        int f = fragments.fragmentOfTransaction(Xids.transactionId(xid));
        if (f >= 0) {
            return f;
        }
        // a lock query outside a transaction, or an XID of no fragment (malformed, another cluster's): any fragment
        // answers it (the lock query looks where the rows' locks live; an unknown XID is "not found" everywhere)
        if (request instanceof GlobalLockQueryRequest) {
            int led = fragments.ledHere().stream()
                    .mapToInt(Fragment::id)
                    .findFirst()
                    .orElse(-1);
            if (led >= 0) {
                return led;
            }
        }
        return fragments.map().fragments().isEmpty()
                ? -1
                : fragments.map().fragments().get(0).id();
    }

    private CompletableFuture<ResultMessage> route(
            ClientSession session, TransactionRequest request, RequestId id, long started, long deadline, int chosen) {
        int f = chosen >= 0 ? chosen : fragmentOf(request);
        CompletableFuture<ResultMessage> attempt;
        Optional<Fragment> here = f < 0 ? Optional.empty() : fragments.local(f).filter(Fragment::isLeader);
        Optional<ClusterMember> leader = f < 0 ? Optional.empty() : fragments.leaderOf(f);
        if (here.isPresent()) {
            stats.servedHere.increment();
            attempt = requests.serve(here.get(), session, request, id);
        } else if (leader.isEmpty() || leader.get().id().equals(fragments.selfId())) {
            attempt = CompletableFuture.completedFuture(TransactionRequests.notLeader(request));
        } else {
            stats.forwarded.increment();
            attempt = forward(leader.get(), f, session, request, id);
        }
        return attempt.thenCompose(answer -> {
            if (!TransactionRequests.isNotLeader(answer)) {
                return CompletableFuture.completedFuture(answer);
            }
            if (clock.getAsLong() >= deadline) {
                stats.gaveUp.increment();
                LOG.warn(
                        "gave up on {} for fragment {}: no leader served it within the request deadline (view: {})",
                        request.getClass().getSimpleName(),
                        f,
                        fragments.leaderOf(f).map(ClusterMember::id).orElse("no leader"));
                return CompletableFuture.completedFuture(TransactionRequests.failure(
                        request, new IllegalStateException("no leader within the request deadline")));
            }
            stats.retried.increment();
            // a begin chooses again after it stuck to its fragment long enough, or at once when that was retired
            boolean chooseAgain = request instanceof GlobalBeginRequest
                    && (clock.getAsLong() - started >= BEGIN_STICKS_MILLIS || !fragments.takesBegins(f));
            return delays.after(RETRY_DELAY_MILLIS)
                    .thenCompose(ignored -> route(session, request, id, started, deadline, chooseAgain ? -1 : f));
        });
    }

    /**
     * Forwards a request to the leader of fragment {@code f}. The attempt ends with NotRaftLeader (so that
     * {@link #route} retries it, with the same request id, on whoever leads then) as soon as this node's view names
     * another leader of that fragment or none: a leader cut off from the others, or gone without the connection
     * being reset, would otherwise hold the request until {@link #FORWARD_TIMEOUT}, longer than the client waits,
     * while the majority already serves.
     */
    private CompletableFuture<ResultMessage> forward(
            ClusterMember leader, int f, ClientSession session, TransactionRequest request, RequestId id) {
        CompletableFuture<ResultMessage> attempt = new CompletableFuture<>();
        long key = forwardSequence.incrementAndGet();
        forwards.put(key, new Forward(f, leader.id(), request, attempt));
        attempt.whenComplete((answer, error) -> forwards.remove(key));
        watchLeaders();
        peers.call(leader, request, PeerHeaders.forwarded(session, id, f), FORWARD_TIMEOUT)
                .handle((answer, error) ->
                        error == null && answer instanceof ResultMessage r ? r : TransactionRequests.notLeader(request))
                .thenAccept(answer -> {
                    if (TransactionRequests.isNotLeader(answer)) {
                        fragments.notLeader(f, leader.id());
                    }
                    attempt.complete(answer);
                });
        if (!fragments.leaderOf(f).map(leader::equals).orElse(false)) {
            attempt.complete(TransactionRequests.notLeader(request)); // the view changed meanwhile
        }
        return attempt;
    }

    /** Starts (once) following the fragments: on each change, forwards to a node that no longer leads end. */
    private void watchLeaders() {
        if (watching.compareAndSet(false, true)) {
            awaitChange(fragments.version());
        }
    }

    private void awaitChange(long version) {
        fragments.changedSince(version).whenComplete((ignored, error) -> {
            forwards.values().forEach(f -> {
                String leaderId = fragments
                        .leaderOf(f.fragmentId())
                        .map(ClusterMember::id)
                        .orElse(null);
                if (!f.leaderId().equals(leaderId)) {
                    delays.execute(() -> f.attempt().complete(TransactionRequests.notLeader(f.request())));
                }
            });
            awaitChange(Math.max(version + 1, fragments.version()));
        });
    }
}
