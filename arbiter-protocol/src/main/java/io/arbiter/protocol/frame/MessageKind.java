package io.arbiter.protocol.frame;

/**
 * Values of the frame's {@code messageType} byte (Seata {@code ProtocolConstants.MSGTYPE_*}). Peers route on the
 * body's type code, not on this byte; only the heartbeat values change how the frame is decoded (no body).
 */
public final class MessageKind {

    /** A request that expects a response, sent on its own (register, TM calls, TC&rarr;RM branch commit/rollback). */
    public static final byte REQUEST_SYNC = 0;
    /** Every response, including Register*Response, MergeResultMessage and BatchResultMessage. */
    public static final byte RESPONSE = 1;
    /** MergedWarpMessage (still answered!), extra RegisterRMRequests, UndoLogDeleteRequest. */
    public static final byte REQUEST_ONEWAY = 2;
    /** PING: no body. */
    public static final byte HEARTBEAT_REQUEST = 3;
    /** PONG: no body, same id as the PING. */
    public static final byte HEARTBEAT_RESPONSE = 4;

    private MessageKind() {}

    /** True for {@link #HEARTBEAT_REQUEST} and {@link #HEARTBEAT_RESPONSE}. */
    public static boolean isHeartbeat(byte messageType) {
        return messageType == HEARTBEAT_REQUEST || messageType == HEARTBEAT_RESPONSE;
    }
}
