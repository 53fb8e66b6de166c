package io.arbiter.server.routing;

import io.arbiter.server.cluster.ClusterMember;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Raft groups that commands can be sent to, by number: a fragment id, or
 * {@link io.arbiter.server.fragment.FragmentIds#META} for the meta group.
 *
 * <p>Threading: implementations are thread-safe and never block.
 */
public interface GroupDirectory {

    /** Proposes encoded bytes to a group replica on this node; the future fails if it does not lead. */
    interface Proposer {
        CompletableFuture<byte[]> propose(byte[] encoded);
    }

    /** This node's replica of group {@code id}, if it leads the group now. */
    Optional<Proposer> ledHere(int id);

    /** The node leading group {@code id}, as far as this node knows. */
    Optional<ClusterMember> leaderOf(int id);

    /** Node {@code nodeId} said it does not lead group {@code id} (a hint for the next guess). */
    default void notLeader(int id, String nodeId) {}

    /**
     * Whether group {@code id} is a lock-only fragment (its leader answers lock commands from memory, {@code
     * docs/LOCKS.md} "Locks in the leader's memory").
     */
    default boolean lockOnly(int id) {
        return false;
    }

    /** Whether group {@code id} exists in the cluster map (whether or not it has a replica here). */
    boolean exists(int id);

    String selfId();
}
