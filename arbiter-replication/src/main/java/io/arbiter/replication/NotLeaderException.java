package io.arbiter.replication;

import java.util.Optional;

/** This replica is not the leader; the command was not applied and may be sent to {@link #leaderHint()}. */
public final class NotLeaderException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    private final String leaderHint;

    /** @param leaderHint the peer id of the leader this replica knows of, or {@code null} */
    public NotLeaderException(String leaderHint) {
        super(
                Reason.NOT_LEADER,
                leaderHint == null ? "not the leader, leader unknown" : "not the leader, try " + leaderHint,
                false);
        this.leaderHint = leaderHint;
    }

    /** The peer id of the current leader as far as this replica knows. */
    public Optional<String> leaderHint() {
        return Optional.ofNullable(leaderHint);
    }
}
