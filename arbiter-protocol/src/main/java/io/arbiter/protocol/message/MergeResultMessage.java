package io.arbiter.protocol.message;

import java.util.List;

/**
 * Answer to a MergedWarpMessage (type 60): {@code i32 contentLength, i16 count, count x (i16 typeCode, payload)}.
 * Must use the MergedWarpMessage frame's id and list the results in request order.
 */
public record MergeResultMessage(List<ResultMessage> msgs) implements SeataMessage {

    public MergeResultMessage {
        msgs = List.copyOf(msgs);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.SEATA_MERGE_RESULT;
    }
}
