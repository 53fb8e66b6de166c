package io.arbiter.server.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What this node knows about the cluster, for the HTTP metadata API and the gateway: members, who leads, and a
 * term that increases on every leadership or membership change.
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

    /** Increases whenever leadership or membership changes. */
    long term();

    /** Completes (on some other thread) once {@link #term()} is greater than {@code knownTerm}. */
    CompletableFuture<Void> changedSince(long knownTerm);

    /** Replaces the membership through Raft; completes when the new configuration is committed. */
    CompletableFuture<Void> changeMembers(List<ClusterMember> members);
}
