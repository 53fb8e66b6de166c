package io.arbiter.replication;

import io.arbiter.replication.ReplicaGroupConfig.Peer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one replica knows of its group at one moment, as one immutable value: for metadata APIs ("who are the
 * members, who leads, in which term") and for {@link GroupListener}s. Every replica has one, followers included.
 *
 * @param version increases with every change this replica publishes; local to this replica (0 before
 *     {@code start()}, then counting up from 1 on every start); orders the views a listener hears
 * @param selfId this replica's id
 * @param peers the group's committed configuration as this replica knows it, in the order of the configuration;
 *     empty while a joining replica has not been added yet
 * @param leaderId the leader this replica knows of (possibly itself); empty during an election or while joining
 * @param term the current Raft term as this replica knows it (0 before the first election)
 * @param leader whether this replica is the leader and accepts proposals
 * @param member whether this replica is in the group's latest configuration and running: {@code false} while joining,
 *     after it was removed, and after its replication stopped
 */
public record GroupView(
        long version,
        String selfId,
        List<Peer> peers,
        Optional<String> leaderId,
        long term,
        boolean leader,
        boolean member) {

    public GroupView {
        Objects.requireNonNull(selfId, "selfId");
        peers = List.copyOf(peers);
        Objects.requireNonNull(leaderId, "leaderId");
    }

    /** The leader's entry in {@link #peers()} (for its address), if a leader is known and in the configuration. */
    public Optional<Peer> leaderPeer() {
        return leaderId.flatMap(
                id -> peers.stream().filter(p -> p.id().equals(id)).findFirst());
    }

    /**
     * Whether this view differs from {@code other} in anything but the version.
     */
    public boolean differsFrom(GroupView other) {
        return other == null
                || term != other.term
                || leader != other.leader
                || member != other.member
                || !leaderId.equals(other.leaderId)
                || !peers.equals(other.peers);
    }

    /** The same content with another version. */
    public GroupView withVersion(long newVersion) {
        return new GroupView(newVersion, selfId, peers, leaderId, term, leader, member);
    }
}
