package io.arbiter.replication;

/**
 * A membership change was not started because a peer it adds did not accept a connection on its replication port
 * in time (its node is down, not started yet, or cut off); nothing changed.
 */
public final class UnreachablePeerException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    private final String peerId;

    public UnreachablePeerException(String peerId, String message, Throwable cause) {
        super(Reason.FAILED, message, cause);
        this.peerId = peerId;
    }

    /** The peer that did not answer. */
    public String peerId() {
        return peerId;
    }
}
