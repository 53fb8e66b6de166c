package io.arbiter.protocol.message;

/**
 * The {@code i16 typeCode} that starts every SEATA-codec body ({@code MessageType} in Seata; identical in 1.8, 2.0,
 * 2.2 and 2.5). Both sides route on this code, not on the frame's messageType byte.
 */
public final class MessageTypeCode {

    public static final int GLOBAL_BEGIN = 1;
    public static final int GLOBAL_BEGIN_RESULT = 2;
    public static final int BRANCH_COMMIT = 3;
    public static final int BRANCH_COMMIT_RESULT = 4;
    public static final int BRANCH_ROLLBACK = 5;
    public static final int BRANCH_ROLLBACK_RESULT = 6;
    public static final int GLOBAL_COMMIT = 7;
    public static final int GLOBAL_COMMIT_RESULT = 8;
    public static final int GLOBAL_ROLLBACK = 9;
    public static final int GLOBAL_ROLLBACK_RESULT = 10;
    public static final int BRANCH_REGISTER = 11;
    public static final int BRANCH_REGISTER_RESULT = 12;
    public static final int BRANCH_STATUS_REPORT = 13;
    public static final int BRANCH_STATUS_REPORT_RESULT = 14;
    public static final int GLOBAL_STATUS = 15;
    public static final int GLOBAL_STATUS_RESULT = 16;
    public static final int GLOBAL_REPORT = 17;
    public static final int GLOBAL_REPORT_RESULT = 18;
    public static final int GLOBAL_LOCK_QUERY = 21;
    public static final int GLOBAL_LOCK_QUERY_RESULT = 22;
    /** MergedWarpMessage: a batch of requests (client &rarr; TC, usually a ONEWAY frame). */
    public static final int SEATA_MERGE = 59;
    /** MergeResultMessage: the batch of responses to a MergedWarpMessage. */
    public static final int SEATA_MERGE_RESULT = 60;

    public static final int REG_CLT = 101;
    public static final int REG_CLT_RESULT = 102;
    public static final int REG_RM = 103;
    public static final int REG_RM_RESULT = 104;
    /** UndoLogDeleteRequest (TC &rarr; RM, ONEWAY, no answer). */
    public static final int RM_DELETE_UNDOLOG = 111;
    /** Heartbeat: never serialized; carried only by frame messageType 3 (PING) / 4 (PONG). */
    public static final int HEARTBEAT_MSG = 120;
    /** BatchResultMessage: alternative answer to a MergedWarpMessage for clients &ge; 1.5.0. */
    public static final int BATCH_RESULT_MSG = 121;
    /**
     * Arbiter's own node-to-node command ({@link PeerCommandRequest}); far from Seata's codes, and only accepted on
     * links between Arbiter nodes.
     */
    public static final int PEER_COMMAND = 0x7A01;
    /** The answer to {@link #PEER_COMMAND} ({@link PeerCommandResponse}). */
    public static final int PEER_COMMAND_RESULT = 0x7A02;
    /** Arbiter's placement step or load report request between nodes ({@link PeerOperationRequest}); peers only. */
    public static final int PEER_OPERATION = 0x7A03;
    /** The answer to {@link #PEER_OPERATION} ({@link PeerOperationResponse}). */
    public static final int PEER_OPERATION_RESULT = 0x7A04;

    private MessageTypeCode() {}
}
