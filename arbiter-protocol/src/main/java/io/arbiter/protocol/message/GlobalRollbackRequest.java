package io.arbiter.protocol.message;

/** TM&rarr;TC global rollback request: {@code str16 xid, str16 extraData} (clients send extraData null). */
public record GlobalRollbackRequest(String xid, String extraData) implements GlobalEndRequest {

    public GlobalRollbackRequest(String xid) {
        this(xid, null);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_ROLLBACK;
    }
}
