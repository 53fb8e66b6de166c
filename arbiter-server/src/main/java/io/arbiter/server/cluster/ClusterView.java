package io.arbiter.server.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What this node knows about the cluster, for the HTTP metadata API and the gateway: members, who leads, which
 * members this node can reach, and a version that increases on every change of any of these.
 *
 * <p>The version is local to this node (it counts the changes this node has seen since it started): it orders
 * this node's views for long polls and must not be compared with another node's.
 *
 * <p>Threading: implementations are thread-safe and never block.
 */
public interface ClusterView {
    /** The Seata raft group name ({@code seata.server.raft.group}, default "default"). */
    String group();

    ClusterMember self();

    /** Members of the current committed configuration. */
    List<ClusterMember> members();

    /** The current leader, if known. */
    Optional<ClusterMember> leader();

    /** The Raft term as this node knows it (0 before the first election); the same on every node once known. */
    long raftTerm();

    /**
     * Whether this node currently reaches the member's Seata port (it is itself always reachable); a member this
     * node has not tried yet counts as reachable.
     */
    boolean reachable(String memberId);

    /** Increases whenever leadership, membership or a member's reachability changes, as seen by this node. */
    long version();

    /** Completes (on some other thread) once {@link #version()} is greater than {@code knownVersion}. */
    CompletableFuture<Void> changedSince(long knownVersion);

    /** Replaces the membership through Raft; completes when the new configuration is committed. */
    CompletableFuture<Void> changeMembers(List<ClusterMember> members);
}
