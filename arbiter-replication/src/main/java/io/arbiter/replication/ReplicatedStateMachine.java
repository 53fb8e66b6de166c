package io.arbiter.replication;

import java.io.IOException;
import java.io.InputStream;

/**
 * The application state machine that replication drives. All methods are called from ONE apply thread, in log
 * order; the same bytes reach the leader, every follower and a replay after restart.
 */
public interface ReplicatedStateMachine {

    /**
     * Applies one command (opaque bytes, exactly as proposed) and returns an opaque result. Must be deterministic
     * and free of I/O: the result and the new state may depend only on the state and the command.
     *
     * <p>{@code index} is the log index of the entry that carries the command. An implementation may pack several
     * commands into one entry, so consecutive commands can share an index; they are applied in proposal order and a
     * snapshot is only ever taken between entries, never inside one.
     *
     * <p>Throwing is a bug in the state machine: the command's proposer sees the exception, and the replica
     * continues on the assumption that the failed call changed nothing.
     */
    byte[] apply(long index, byte[] command);

    /**
     * Called on the apply thread: captures a consistent view cheaply (an immutable structure or a fast copy) and
     * returns a writer that will run OFF the apply thread, while later commands are being applied.
     */
    SnapshotWriter snapshot();

    /**
     * Replaces the whole state with the one read from a snapshot stream written by a {@link SnapshotWriter}; called on
     * start (before any {@link #apply}) and when a lagging replica installs a snapshot from the leader.
     */
    void restore(InputStream in) throws IOException;

    /**
     * Leadership changes of this replica, called on the apply thread like every other method. {@code leader=true}
     * comes after every entry committed by earlier leaders has been applied; {@code leader=false} comes when this
     * replica loses leadership or its group closes. Only transitions are reported; a replica that never leads is never
     * called.
     */
    default void onRoleChange(boolean leader, long term) {}

    /**
     * Answers a read without changing the replicated state (see {@link ReplicaGroup#query}), on the apply thread like
     * every other method, after every entry committed before the read was asked has been applied. It may change state
     * that only this replica holds while it leads and that is no part of the replicated state (a lock-only
     * fragment's in-memory lock table, which every new leader rebuilds). Throwing fails the read only.
     */
    default byte[] query(byte[] request) {
        throw new UnsupportedOperationException("this state machine answers no reads");
    }
}
