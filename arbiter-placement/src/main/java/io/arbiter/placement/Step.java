package io.arbiter.placement;

import java.util.List;

/**
 * One step of an {@link Operator}. Every step is idempotent: {@link #isDone} says, from the cluster's state alone,
 * whether its effect is already there, so a step found done (by an earlier attempt, or an earlier meta leader) is
 * skipped rather than repeated.
 */
public sealed interface Step {
    /** The fragment it changes ({@code -1} for a fragment not created yet). */
    int fragment();

    /** Whether the state already shows this step's effect. */
    boolean isDone(ClusterState state);

    /**
     * Adds a voting replica on {@code node}. The new replica catches up before it counts towards any quorum: Ratis
     * stages new peers of a configuration change until they have caught up with the leader's log, and only then
     * commits the new configuration.
     */
    record AddReplica(int fragment, String node) implements Step {
        @Override
        public boolean isDone(ClusterState state) {
            // both halves: the map names it and it votes in the Raft group
            return state.fragment(fragment)
                    .map(f -> f.hasReplicaOn(node) && f.votes(node))
                    .orElse(false);
        }
    }

    /** Removes the replica on {@code node} (never its leader: a {@link TransferLeader} goes first). */
    record RemoveReplica(int fragment, String node) implements Step {
        @Override
        public boolean isDone(ClusterState state) {
            return state.fragment(fragment)
                    .map(f -> !f.hasReplicaOn(node) && !f.votes(node))
                    .orElse(true);
        }
    }

    /** Moves the fragment's leadership to its replica on {@code node} (and makes it the preferred leader). */
    record TransferLeader(int fragment, String node) implements Step {
        @Override
        public boolean isDone(ClusterState state) {
            return state.fragment(fragment).map(f -> node.equals(f.leader())).orElse(false);
        }
    }

    /** Creates a new fragment with replicas on {@code replicas} (the first its preferred leader). */
    record CreateFragment(List<String> replicas) implements Step {
        public CreateFragment {
            replicas = List.copyOf(replicas);
        }

        @Override
        public int fragment() {
            return -1;
        }

        @Override
        public boolean isDone(ClusterState state) {
            return false; // a new fragment has a new id: only the actuator's answer says it exists
        }
    }

    /** Stops new transactions in the fragment; it is dropped once its transactions have ended. */
    record RetireFragment(int fragment) implements Step {
        @Override
        public boolean isDone(ClusterState state) {
            return state.fragment(fragment).map(f -> !f.acceptsBegins()).orElse(true);
        }
    }
}
