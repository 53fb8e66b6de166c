package io.arbiter.server.meta;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ReplicaHost;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's replica of the meta group when placement moves the group between nodes: starts a joining replica when
 * the meta leader is about to add this node ({@link #join}), and removes the replica once the group's configuration
 * no longer has this node or the replica stopped itself ({@link #leaveIfRemoved}, also after a restart with a
 * replica the group dropped while this node was down). A replica that catches up may show an old configuration without this node for a moment, so
 * it leaves only after being outside the configuration for {@link #LEAVE_AFTER_MILLIS}.
 *
 * <p>Threading: {@link #join} on an event loop (it does not block: the replica starts asynchronously);
 * {@link #leaveIfRemoved} on one housekeeping thread; the two are serialized (both only start asynchronous work).
 */
public final class MetaReplicaKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(MetaReplicaKeeper.class);
    static final long LEAVE_AFTER_MILLIS = 10_000;

    private final MetaGroup meta;
    private final ReplicaHost host;
    private final UUID groupId;
    private final ClusterMember self;
    private final LongSupplier clock;
    private volatile CompletableFuture<Void> joining;
    private long outsideSince = -1;

    public MetaReplicaKeeper(MetaGroup meta, ReplicaHost host, UUID groupId, ClusterMember self, LongSupplier clock) {
        this.meta = meta;
        this.host = host;
        this.groupId = groupId;
        this.self = self;
        this.clock = clock;
    }

    /**
     * Starts a joining replica of the meta group here, unless one runs; completes once it runs. A replica left over
     * from an earlier membership (outside the configuration, not dropped yet) is replaced by a fresh one.
     */
    public synchronized CompletableFuture<Void> join() {
        if (joining != null && !joining.isDone()) {
            return joining;
        }
        if (meta.following()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> cleared = CompletableFuture.completedFuture(null);
        if (meta.replica().isPresent()) {
            LOG.info("replacing this node's old meta replica (outside the group's configuration) with a new one");
            meta.detach();
            cleared = host.removeGroup(groupId, true);
        }
        LOG.info("starting a replica of the meta group here: the meta leader adds this node to it");
        Peer peer = new Peer(self.id(), self.host(), self.raftPort());
        joining = cleared.thenCompose(ignored -> host.addGroup(groupId, List.of(peer), true))
                .thenAccept(group -> {
                    meta.attach(group);
                    outsideSince = -1;
                });
        return joining;
    }

    /** Removes this node's meta replica when the group's configuration has been without this node for a while. */
    public synchronized void leaveIfRemoved() {
        Optional<ReplicaGroup> replica = meta.replica();
        CompletableFuture<Void> pending = joining;
        if (replica.isEmpty() || pending != null && !pending.isDone()) {
            return;
        }
        List<Peer> peers = replica.get().peers();
        long now = clock.getAsLong();
        if (!meta.replicaRemoved()) {
            outsideSince = -1;
            return;
        }
        if (outsideSince < 0) {
            outsideSince = now;
            return;
        }
        if (now - outsideSince < LEAVE_AFTER_MILLIS) {
            return;
        }
        LOG.info(
                "this node is no longer in the meta group ({}): removing its replica",
                peers.stream().map(Peer::id).toList());
        meta.detach();
        outsideSince = -1;
        host.removeGroup(groupId, true).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("could not remove the meta replica: {}", error.toString());
            }
        });
    }
}
