package io.arbiter.protocol.message;

import java.util.Objects;

/**
 * The answer to a {@link PeerOperationRequest} (type {@value MessageTypeCode#PEER_OPERATION_RESULT}): whether it
 * was done, and a text (the reason when not; the report when one was asked for). Layout:
 * {@code u8 ok, i32 length, UTF-8 text}.
 */
public record PeerOperationResponse(boolean ok, String text) implements SeataMessage {

    public PeerOperationResponse {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.PEER_OPERATION_RESULT;
    }
}
