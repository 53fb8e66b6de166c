package io.arbiter.protocol.message;

/** TM&rarr;TC global status request: {@code str16 xid, str16 extraData} (clients send extraData null). */
public record GlobalStatusRequest(String xid, String extraData) implements GlobalEndRequest {

    public GlobalStatusRequest(String xid) {
        this(xid, null);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_STATUS;
    }
}
