package io.arbiter.replication;

import java.util.Optional;

/**
 * The command entered the log but this replica lost leadership (or closed) before it was committed: a later leader
 * may or may not apply it. Retrying is safe only if the state machine deduplicates the command.
 */
public final class IndeterminateException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    private final String leaderHint;

    /** @param leaderHint the peer id of the leader this replica knows of, or {@code null} */
    public IndeterminateException(String leaderHint, String message) {
        super(Reason.INDETERMINATE, message, false);
        this.leaderHint = leaderHint;
    }

    /** The peer id of the current leader as far as this replica knows. */
    public Optional<String> leaderHint() {
        return Optional.ofNullable(leaderHint);
    }
}
