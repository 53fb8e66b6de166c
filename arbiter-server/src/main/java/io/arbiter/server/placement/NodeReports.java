package io.arbiter.server.placement;

import io.arbiter.protocol.message.PeerOperationRequest;
import io.arbiter.protocol.message.PeerOperationResponse;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.rpc.PeerTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members' load reports as the meta leader collects them: asked once a round from every member (this node's
 * own directly), at most one question per member outstanding; a report older than {@link #FRESH} is not used.
 *
 * <p>Threading: thread-safe (answers arrive on event loops).
 */
final class NodeReports {
    private static final Logger LOG = LoggerFactory.getLogger(NodeReports.class);
    /** How old a report may be and still count. */
    static final long FRESH = 5_000;

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

    private record Received(NodeReport report, long atMs) {}

    private final String self;
    private final NodeReporter local;
    private final PeerTransport peers;
    private final Function<String, Optional<ClusterMember>> members;
    private final LongSupplier clock;
    private final Map<String, Received> latest = new ConcurrentHashMap<>();
    private final Set<String> asking = ConcurrentHashMap.newKeySet();

    NodeReports(
            String self,
            NodeReporter local,
            PeerTransport peers,
            Function<String, Optional<ClusterMember>> members,
            LongSupplier clock) {
        this.self = self;
        this.local = local;
        this.peers = peers;
        this.members = members;
        this.clock = clock;
    }

    /** Asks every member in {@code ids} for a fresh report (answers come in later). */
    void ask(List<String> ids) {
        for (String id : ids) {
            if (id.equals(self)) {
                latest.put(id, new Received(local.report(), clock.getAsLong()));
                continue;
            }
            Optional<ClusterMember> member = members.apply(id);
            if (member.isEmpty() || !asking.add(id)) {
                continue;
            }
            peers.call(
                            member.get(),
                            new PeerOperationRequest(PeerOperationRequest.Kind.REPORT, -1, ""),
                            Map.of(),
                            ASK_TIMEOUT)
                    .whenComplete((answer, error) -> {
                        asking.remove(id);
                        if (error == null && answer instanceof PeerOperationResponse r && r.ok()) {
                            try {
                                latest.put(
                                        id,
                                        new Received(
                                                PeerOperationServer.JSON.readValue(r.text(), NodeReport.class),
                                                clock.getAsLong()));
                            } catch (java.io.IOException e) {
                                LOG.warn("unreadable load report from {}: {}", id, e.toString());
                            }
                        }
                    });
        }
        latest.keySet().retainAll(ids);
    }

    Optional<NodeReport> latest(String id, long now) {
        Received r = latest.get(id);
        return r == null || now - r.atMs > FRESH ? Optional.empty() : Optional.of(r.report);
    }

    /** The node whose fresh report says it leads {@code fragment} (the newest such report). */
    Optional<ClusterStateReader.Led> leaderOf(int fragment, long now) {
        ClusterStateReader.Led found = null;
        long newest = Long.MIN_VALUE;
        for (Map.Entry<String, Received> e : latest.entrySet()) {
            Received r = e.getValue();
            if (now - r.atMs > FRESH || r.atMs < newest) {
                continue;
            }
            for (NodeReport.FragmentLoad f : r.report.fragments()) {
                if (f.id() == fragment && f.leader()) {
                    found = new ClusterStateReader.Led(e.getKey(), f);
                    newest = r.atMs;
                }
            }
        }
        return Optional.ofNullable(found);
    }
}
