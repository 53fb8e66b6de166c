package io.arbiter.server.fragment;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.ratis.RatisNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The node's one Ratis server, hosting the meta group and every fragment replica of the node as Divisions. */
public final class RatisHost implements ReplicaHost {
    private final RatisNode node;

    /**
     * @param settings this node's id, Raft address (its entry in the peers), storage root ({@code <data>/raft}, one
     *     folder per group) and tuning
     */
    public RatisHost(ReplicaGroupConfig settings, Function<UUID, ReplicatedStateMachine> stateMachines) {
        this.node = new RatisNode(settings, stateMachines::apply);
    }

    @Override
    public void start() throws IOException {
        node.start();
    }

    @Override
    public Set<UUID> groupIds() {
        return node.groupIds();
    }

    @Override
    public Optional<? extends ReplicaGroup> group(UUID groupId) {
        return node.group(groupId);
    }

    @Override
    public CompletableFuture<? extends ReplicaGroup> addGroup(UUID groupId, List<Peer> peers, boolean joining) {
        return node.addGroup(groupId, peers, joining);
    }

    @Override
    public CompletableFuture<Void> removeGroup(UUID groupId, boolean deleteData) {
        return node.removeGroup(groupId, deleteData);
    }

    @Override
    public void close() {
        node.close();
    }
}
