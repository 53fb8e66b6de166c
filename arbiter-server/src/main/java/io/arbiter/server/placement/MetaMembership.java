package io.arbiter.server.placement;

import io.arbiter.placement.ClusterState;
import io.arbiter.placement.MetaVoters;
import io.arbiter.placement.PlacementSettings;
import io.arbiter.placement.Step;
import io.arbiter.protocol.message.PeerOperationRequest;
import io.arbiter.protocol.message.PeerOperationResponse;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.meta.MetaGroup;
import io.arbiter.server.rpc.PeerTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the meta group's voters with the cluster, on the meta leader, one change at a time as {@link MetaVoters}
 * decides: to add a node, it asks the node to start a joining replica ({@code JOIN_META}), then changes the group's
 * configuration (Ratis lets the new replica catch up before it counts); to remove one, it changes the configuration
 * (the node removes its replica once it sees that); the leader's own removal is preceded by a hand-over.
 *
 * <p>Threading: {@link #round} on the placement loop's thread; a change completes on replication or I/O threads and
 * only clears the in-flight marker.
 */
final class MetaMembership {
    private static final Logger LOG = LoggerFactory.getLogger(MetaMembership.class);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);

    private final String self;
    private final MetaGroup meta;
    private final Function<String, Optional<ClusterMember>> members;
    private final PeerTransport peers;
    private final PlacementSettings settings;
    private final LongSupplier clock;
    private volatile CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private volatile String last = "";

    MetaMembership(
            String self,
            MetaGroup meta,
            Function<String, Optional<ClusterMember>> members,
            PeerTransport peers,
            PlacementSettings settings,
            LongSupplier clock) {
        this.self = self;
        this.meta = meta;
        this.members = members;
        this.peers = peers;
        this.settings = settings;
        this.clock = clock;
    }

    /** The meta group's voters as this node's replica knows them (empty without a replica). */
    List<String> voters() {
        return meta.replica()
                .map(g -> g.peers().stream().map(Peer::id).toList())
                .orElse(List.of());
    }

    /** The last change started, and how it ended (empty before the first). */
    String last() {
        return last;
    }

    /** One look at the meta group's voters: starts the next change if none runs. */
    void round(ClusterState state, long now) {
        Optional<ReplicaGroup> replica = meta.replica();
        if (!inFlight.isDone() || replica.isEmpty() || !replica.get().isLeader()) {
            return;
        }
        ReplicaGroup group = replica.get();
        List<String> voters = group.peers().stream().map(Peer::id).toList();
        Optional<Step> next = MetaVoters.next(voters, self, state, settings, now);
        if (next.isEmpty()) {
            return;
        }
        Step step = next.get();
        String what = "meta group " + voters + ": " + step;
        LOG.info("placement: {}", what);
        last = what + " (running)";
        long deadline = clock.getAsLong() + CHANGE_TIMEOUT.toMillis();
        CompletableFuture<Void> change;
        try {
            if (step instanceof Step.AddReplica add) {
                change = join(add.node()).thenCompose(ignored -> changePeers(group, add.node(), true, deadline));
            } else if (step instanceof Step.RemoveReplica remove) {
                change = changePeers(group, remove.node(), false, deadline);
            } else {
                change = group.transferLeadership(((Step.TransferLeader) step).node());
            }
        } catch (RuntimeException e) {
            change = CompletableFuture.failedFuture(e);
        }
        inFlight = change.orTimeout(CHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    last = what + (error == null ? " (done)" : " (failed: " + PeerOperationServer.reason(error) + ")");
                    if (error != null) {
                        LOG.info("placement: {} failed: {}", what, PeerOperationServer.reason(error));
                    }
                });
    }

    private CompletableFuture<Void> join(String node) {
        ClusterMember member =
                members.apply(node).orElseThrow(() -> new IllegalStateException("unknown member " + node));
        return peers.call(
                        member,
                        new PeerOperationRequest(PeerOperationRequest.Kind.JOIN_META, FragmentIds.META, self),
                        Map.of(),
                        Duration.ofMillis(settings.stepTimeoutMs()))
                .thenAccept(answer -> {
                    PeerOperationResponse r = (PeerOperationResponse) answer;
                    if (!r.ok()) {
                        throw new IllegalStateException(node + ": " + r.text());
                    }
                });
    }

    /** Adds or removes {@code node} in the meta group's configuration; a new replica that is not up yet is retried. */
    private CompletableFuture<Void> changePeers(ReplicaGroup group, String node, boolean add, long deadline) {
        List<Peer> current = group.peers();
        List<Peer> next = new ArrayList<>(
                current.stream().filter(p -> !p.id().equals(node)).toList());
        if (add) {
            ClusterMember m =
                    members.apply(node).orElseThrow(() -> new IllegalStateException("unknown member " + node));
            next.add(new Peer(m.id(), m.host(), m.raftPort()));
        }
        return group.changePeers(current, next).exceptionallyCompose(e -> {
            if (clock.getAsLong() >= deadline || !group.isLeader()) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                    .thenCompose(ignored -> changePeers(group, node, add, deadline));
        });
    }
}
