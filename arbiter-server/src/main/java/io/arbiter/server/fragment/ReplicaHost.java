package io.arbiter.server.fragment;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Where this node's Raft groups run: one replication server hosting a group per fragment replica. The state machine
 * of each group comes from the factory the host was built with (for groups found on disk at start as well as for
 * groups added later).
 *
 * <p>Threading: implementations are thread-safe.
 */
public interface ReplicaHost extends AutoCloseable {

    /** Starts the host; every group stored on disk is recovered and rejoins its group. */
    void start() throws IOException;

    /** The groups running here. */
    Set<UUID> groupIds();

    Optional<? extends ReplicaGroup> group(UUID groupId);

    /**
     * Starts a replica of a group here: a new group with these initial peers, or (joining) a replica that waits
     * until a member adds it. Completes with the running replica (at once if it already runs here).
     */
    CompletableFuture<? extends ReplicaGroup> addGroup(UUID groupId, List<Peer> peers, boolean joining);

    /** Stops the local replica of a group and optionally deletes its data. */
    CompletableFuture<Void> removeGroup(UUID groupId, boolean deleteData);

    @Override
    void close();
}
