package io.arbiter.protocol.message;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/** TC&rarr;TM global report response: TransactionResponse prefix, {@code u8 globalStatus code} (never null). */
public record GlobalReportResponse(
        ResultCode resultCode, TransactionExceptionCode exceptionCode, String msg, GlobalStatus globalStatus)
        implements GlobalEndResponse {

    public GlobalReportResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        Objects.requireNonNull(globalStatus, "globalStatus");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    public static GlobalReportResponse success(GlobalStatus status) {
        return new GlobalReportResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, status);
    }

    public static GlobalReportResponse failed(TransactionExceptionCode code, String msg, GlobalStatus status) {
        return new GlobalReportResponse(ResultCode.Failed, code, msg, status);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_REPORT_RESULT;
    }
}
