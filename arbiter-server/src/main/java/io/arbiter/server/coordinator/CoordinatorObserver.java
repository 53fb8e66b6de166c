package io.arbiter.server.coordinator;

import io.arbiter.core.Applied;
import io.arbiter.core.command.Command;
import io.arbiter.core.model.GlobalTransaction;
import java.util.Collection;

/**
 * Watches one fragment's replica at work, for metrics: commands applied (with their results and effects) and the log
 * entries that carried them, role changes, snapshots written, and proposals answered. Implementations count and return at once.
 *
 * <p>Threading: {@link #applied}, {@link #entryStarted}, {@link #roleChanged} and {@link #snapshotCaptured} run on
 * the replica's apply thread (one at a time); {@link #snapshotWritten} on the snapshot writer;
 * {@link #proposalAnswered} on whatever thread completes a proposal. None may block or take a lock.
 */
public interface CoordinatorObserver {
    /** Observes nothing. */
    CoordinatorObserver NONE = new CoordinatorObserver() {};

    /**
     * A command was applied in {@code nanos}; {@code liveChange} is how much the number of live transactions changed
     * (a begin answered from the deduplication table adds none); {@code leader} is whether this replica led then
     * (only a leader's effects are carried out).
     */
    default void applied(Command command, Applied applied, int liveChange, boolean leader, long nanos) {}

    /**
     * The next commands applied came in a new log entry (called before the first of them; an entry carries one or
     * more commands, packed by the proposer).
     */
    default void entryStarted(boolean leader) {}

    /**
     * This replica became leader or stopped leading (also after a snapshot was restored while leading);
     * {@code live} is the fragment's live transactions then, to be read on this call only.
     */
    default void roleChanged(boolean leader, Collection<GlobalTransaction> live) {}

    /** A snapshot's view was taken on the apply thread in {@code nanos}. */
    default void snapshotCaptured(long nanos) {}

    /** A snapshot of {@code bytes} bytes was written in {@code nanos}. */
    default void snapshotWritten(long nanos, long bytes) {}

    /** A proposal submitted on this node was answered (committed and applied, or failed) {@code nanos} after it. */
    default void proposalAnswered(long nanos, boolean ok) {}
}
