package io.arbiter.protocol.message;

/**
 * Answer to RegisterTMRequest: {@code u8 identified (1 = accepted), str16 version}. There is <b>no</b> result code
 * on the wire for this message; the client only checks {@code identified}.
 *
 * @param version the server version string (clients only log it); may be null
 */
public record RegisterTMResponse(boolean identified, String version) implements ResultMessage {

    @Override
    public int typeCode() {
        return MessageTypeCode.REG_CLT_RESULT;
    }
}
