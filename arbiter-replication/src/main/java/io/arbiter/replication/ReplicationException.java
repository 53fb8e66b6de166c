package io.arbiter.replication;

/**
 * A proposal failed. The {@link Reason} is the stable, machine-readable part; never match the message text.
 */
public class ReplicationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a proposal failed. */
    public enum Reason {
        /** This replica is not the leader; the command was not applied. See {@link NotLeaderException}. */
        NOT_LEADER,
        /** The command may or may not be applied. See {@link IndeterminateException}. */
        INDETERMINATE,
        /** Too many proposals are queued; the command was not applied. Retry later. */
        OVERLOADED,
        /** The group is not started or is closing; the command was not applied. */
        CLOSED,
        /** Any other failure, for example the state machine threw while applying the command. */
        FAILED
    }

    private final Reason reason;

    public ReplicationException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ReplicationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** For frequent, expected failures: no stack trace is captured. */
    protected ReplicationException(Reason reason, String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
