package io.arbiter.protocol.message;

import io.arbiter.protocol.GlobalStatus;

/**
 * TM&rarr;TC (type 17, Saga): {@code str16 xid, str16 extraData, i8 globalStatus code} ({@code -1} when null; any
 * negative byte decodes as null).
 */
public record GlobalReportRequest(String xid, String extraData, GlobalStatus globalStatus) implements GlobalEndRequest {

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_REPORT;
    }
}
