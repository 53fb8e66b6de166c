package io.arbiter.server.fragment;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.ratis.RatisReplicaGroup;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A host for exactly one group, on a Ratis server of its own: the layout before fragments. Kept for one-fragment
 * nodes until the shared multi-group server is in place.
 */
public final class SingleGroupHost implements ReplicaHost {
    private final ReplicaGroupConfig settings;
    private final Function<UUID, ReplicatedStateMachine> factory;
    private volatile RatisReplicaGroup group;

    public SingleGroupHost(ReplicaGroupConfig settings, Function<UUID, ReplicatedStateMachine> factory) {
        this.settings = settings;
        this.factory = factory;
    }

    @Override
    public void start() {
    }

    @Override
    public Set<UUID> groupIds() {
        return group == null ? Set.of() : Set.of(settings.groupId());
    }

    @Override
    public Optional<? extends ReplicaGroup> group(UUID groupId) {
        return groupId.equals(settings.groupId()) ? Optional.ofNullable(group) : Optional.empty();
    }

    @Override
    public synchronized CompletableFuture<? extends ReplicaGroup> addGroup(UUID groupId, List<Peer> peers,
                                                                           boolean joining) {
        if (!groupId.equals(settings.groupId())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "this host runs only group " + settings.groupId()));
        }
        if (group == null) {
            RatisReplicaGroup g = new RatisReplicaGroup(settings.toBuilder().peers(peers).joining(joining).build(),
                    factory.apply(groupId));
            try {
                g.start();
            } catch (IOException | RuntimeException e) {
                g.close();
                return CompletableFuture.failedFuture(e);
            }
            group = g;
        }
        return CompletableFuture.completedFuture(group);
    }

    @Override
    public CompletableFuture<Void> removeGroup(UUID groupId, boolean deleteData) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("single-group host"));
    }

    @Override
    public void close() {
        RatisReplicaGroup g = group;
        if (g != null) {
            g.close();
        }
    }
}
