package io.arbiter.protocol.message;

import java.util.Objects;

/**
 * Arbiter node to Arbiter node, never sent by or to a Seata client (type {@value MessageTypeCode#PEER_OPERATION}):
 * the placement loop on the meta group's leader asks a node to carry out a step on a fragment it holds a replica of
 * (add or remove a replica, move the leadership), to report its load, or to start a replica of the meta group. Layout:
 * {@code u8 kind, i32 fragmentId, i32 length, UTF-8 argument} (the node a step is about; empty for a report).
 */
public record PeerOperationRequest(Kind kind, int fragmentId, String argument) implements SeataMessage {

    /** What the node is asked to do. */
    public enum Kind {
        /** Add a replica of {@code fragmentId} on node {@code argument}. */
        ADD_REPLICA,
        /** Remove the replica of {@code fragmentId} on node {@code argument}. */
        REMOVE_REPLICA,
        /** Move the leadership of {@code fragmentId} to its replica on node {@code argument}. */
        TRANSFER_LEADER,
        /** Answer this node's load report (JSON). */
        REPORT,
        /** Start a joining replica of the meta group here: the meta leader ({@code argument}) is adding this node. */
        JOIN_META
    }

    public PeerOperationRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(argument, "argument");
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.PEER_OPERATION;
    }
}
