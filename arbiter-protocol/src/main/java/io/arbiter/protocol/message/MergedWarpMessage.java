package io.arbiter.protocol.message;

import java.util.List;

/**
 * A batch of requests (type 59), sent by the RM by default even for a single request, usually in a ONEWAY frame:
 * <pre>
 * i32 contentLength                     bytes after this field
 * i16 count
 * count x { i16 typeCode ; payload }    nested requests, no per-item length
 * count x i32 msgId                     since 1.5.0; read only if bytes remain
 * </pre>
 * The TC answers with a {@link MergeResultMessage} on the <em>same frame id</em>, results in the same order.
 *
 * @param msgs   the requests, in order
 * @param msgIds the client's per-request ids; empty when absent (pre-1.5 clients), else the same size as msgs
 */
public record MergedWarpMessage(List<TransactionRequest> msgs, List<Integer> msgIds) implements SeataMessage {

    public MergedWarpMessage {
        msgs = List.copyOf(msgs);
        msgIds = msgIds == null ? List.of() : List.copyOf(msgIds);
        if (!msgIds.isEmpty() && msgIds.size() != msgs.size()) {
            throw new IllegalArgumentException("msgIds size " + msgIds.size() + " != msgs size " + msgs.size());
        }
    }

    /** True if the msgIds trailer is present. */
    public boolean hasMsgIds() {
        return !msgIds.isEmpty();
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.SEATA_MERGE;
    }
}
