package io.arbiter.protocol.message;

import java.util.List;

/**
 * Alternative answer to a MergedWarpMessage for clients &ge; 1.5.0 (type 121): {@code i32 contentLength, i16 count,
 * count x (i16 typeCode, payload), count x i32 msgId}. Do not mix with MergeResultMessage on one connection.
 *
 * @param resultMessages the responses
 * @param msgIds         the msgIds from the MergedWarpMessage, same size as resultMessages
 */
public record BatchResultMessage(List<ResultMessage> resultMessages, List<Integer> msgIds) implements SeataMessage {

    public BatchResultMessage {
        resultMessages = List.copyOf(resultMessages);
        msgIds = List.copyOf(msgIds);
        if (msgIds.size() != resultMessages.size()) {
            throw new IllegalArgumentException(
                    "msgIds size " + msgIds.size() + " != resultMessages size " + resultMessages.size());
        }
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.BATCH_RESULT_MSG;
    }
}
