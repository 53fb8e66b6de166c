package io.arbiter.replication;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One replicated group as seen by its local replica. */
public interface ReplicaGroup extends AutoCloseable {

    /**
     * Proposes a command; completes with the state machine's result for it after it is committed and applied
     * locally. Never blocks the caller. Fails with
     * <ul>
     *   <li>{@link NotLeaderException} (with a leader hint when one is known) when this replica is not the leader; the
     *       command was not applied;</li>
     *   <li>{@link IndeterminateException} when leadership was lost after the command entered the log, or when it was
     *       not committed within {@link ReplicaGroupConfig#commitTimeout()}: it may still be applied by a later leader,
     *       so a retry must be deduplicated by the state machine;</li>
     *   <li>{@link ReplicationException} with another {@link ReplicationException.Reason} (overloaded, closed,
     *       failed).</li>
     * </ul>
     * An accepted proposal always completes: at the latest about one election timeout after this replica lost
     * leadership, and never later than {@link ReplicaGroupConfig#commitTimeout()} after it was handed to Raft. Callers
     * that need a shorter limit add it ({@code orTimeout}).
     */
    CompletableFuture<byte[]> propose(byte[] command);

    /**
     * A linearizable read without a log entry: {@link ReplicatedStateMachine#query} answers it on the leader, once
     * the leader has confirmed it still leads (with Ratis: a valid leader lease, else a heartbeat round to a majority)
     * and has applied every entry committed before the read was asked. So it sees every proposal that completed
     * before it was called. Fails with {@link NotLeaderException} when this replica does not lead (nothing was read),
     * and with a {@link ReplicationException} otherwise (closed, or the state machine threw: reason {@code FAILED}).
     */
    default CompletableFuture<byte[]> query(byte[] request) {
        return CompletableFuture.failedFuture(
                new ReplicationException(ReplicationException.Reason.FAILED, "this replica group answers no reads"));
    }

    /**
     * Whether the replication layer stopped this replica by itself while it was not closed: Ratis shuts a replica
     * down once it learns that it was removed from its group, also when the configuration it knew last still lists
     * it (it was removed in the middle of a change). Such a replica takes no part in its group any more; its owner
     * should close it (and start a new one if the replica is wanted again).
     */
    default boolean stoppedByReplication() {
        return false;
    }

    /**
     * Whether this replica has been a member of its group's configuration since it started. A joining replica that
     * was never added has not, although while the group's leader catches it up it learns the group's configuration
     * (without itself): it is on its way in, not removed.
     */
    default boolean joinedItsGroup() {
        return true;
    }

    /** Whether this replica is the leader and may accept proposals now. */
    boolean isLeader();

    /** The id of the leader this replica knows of, if any (possibly itself). Known on followers too. */
    Optional<String> leaderId();

    /** The current Raft term as this replica knows it (0 before the first election). Known on followers too. */
    long term();

    /**
     * The group's committed configuration as this replica knows it: the initial peers until the first change, then
     * whatever membership changes committed (on any replica, through {@link #changePeers}). Empty while a joining
     * replica has not been added yet.
     */
    List<ReplicaGroupConfig.Peer> peers();

    /**
     * Members, leader, term and this replica's role as one value, as last published to listeners (at most a fraction
     * of a second behind the individual getters).
     */
    GroupView view();

    /**
     * Registers a listener; it is called once with the current view, then on every change (see {@link GroupListener}
     * for its thread). A listener added twice is called twice.
     */
    void addListener(GroupListener listener);

    /** Unregisters a listener (one registration of it); no call is made to it once this returns on its thread. */
    void removeListener(GroupListener listener);

    /**
     * Changes the group's membership to exactly {@code newPeers} through Raft (joint consensus). May be called on any
     * replica: a replica that does not lead forwards the request to the leader it knows of, and retries on the new
     * leader if leadership moves meanwhile. New peers must be running (see {@link ReplicaGroupConfig#joining()}); they
     * are brought up to date (log or snapshot) before the new configuration takes effect. The leader itself may be
     * removed: it hands over after the change commits.
     *
     * <p>Completes when the new configuration is committed; calling it again with the configuration already in place
     * completes at once, so a caller may retry after a failure. The list replaces the configuration as a whole: two
     * changes at the same time are not merged (the second waits for the first, then wins), so callers serialize them.
     * Fails with a {@link ReplicationException} of reason
     * <ul>
     *   <li>{@code FAILED} when the change was rejected: a new peer did not respond or catch up (given about three
     *       election timeouts), the change would add a majority of the new configuration at once (add peers one at a
     *       time), the list is invalid, or this replica is not a member (a joining replica cannot ask);</li>
     *   <li>{@code INDETERMINATE} ({@link IndeterminateException}) when no answer came within
     *       {@link ReplicaGroupConfig#adminTimeout()}: the change may still complete; look at {@link #peers()};</li>
     *   <li>{@code CLOSED} when this replica is not running.</li>
     * </ul>
     */
    CompletableFuture<Void> changePeers(List<ReplicaGroupConfig.Peer> newPeers);

    /**
     * {@link #changePeers}, only if the group's configuration is still {@code expected} (the list {@code newPeers}
     * was computed from); otherwise fails {@code FAILED} and changes nothing. A replica's view of the configuration
     * can lag a change still being made elsewhere (a follower's view, or a change in flight); replacing the whole list
     * from such a view would undo that change. Implementations without that check change unconditionally.
     */
    default CompletableFuture<Void> changePeers(
            List<ReplicaGroupConfig.Peer> expected, List<ReplicaGroupConfig.Peer> newPeers) {
        return changePeers(newPeers);
    }

    /**
     * Moves leadership to {@code peerId}, a member of the group; may be called on any replica (forwarded to the leader
     * like {@link #changePeers}). Completes once the leader sees {@code peerId} elected; at once if it already leads.
     * Fails with {@code FAILED} if the transfer did not happen (not a member, reconfiguration in progress, target did
     * not catch up in time), {@code INDETERMINATE} after {@link ReplicaGroupConfig#adminTimeout()}, {@code CLOSED} when
     * this replica is not running. Proposals in flight on the old leader fail as on any leader change.
     */
    CompletableFuture<Void> transferLeadership(String peerId);

    /** Restores local state (latest snapshot, then the log after it) and joins the group. */
    void start() throws IOException;

    /**
     * Stops this replica and releases its resources; outstanding proposals fail. The replica stays a member of the
     * group (remove it with {@link #changePeers} first to shrink the group). Idempotent.
     */
    @Override
    void close();
}
