package io.arbiter.protocol.message;

/** TM&rarr;TC global commit request: {@code str16 xid, str16 extraData} (clients send extraData null). */
public record GlobalCommitRequest(String xid, String extraData) implements GlobalEndRequest {

    public GlobalCommitRequest(String xid) {
        this(xid, null);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_COMMIT;
    }
}
