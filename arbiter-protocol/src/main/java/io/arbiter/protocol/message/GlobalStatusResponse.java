package io.arbiter.protocol.message;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/** TC&rarr;TM global status response: TransactionResponse prefix, {@code u8 globalStatus code} (never null). */
public record GlobalStatusResponse(
        ResultCode resultCode, TransactionExceptionCode exceptionCode, String msg, GlobalStatus globalStatus)
        implements GlobalEndResponse {

    public GlobalStatusResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        Objects.requireNonNull(globalStatus, "globalStatus");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    public static GlobalStatusResponse success(GlobalStatus status) {
        return new GlobalStatusResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, status);
    }

    public static GlobalStatusResponse failed(TransactionExceptionCode code, String msg, GlobalStatus status) {
        return new GlobalStatusResponse(ResultCode.Failed, code, msg, status);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_STATUS_RESULT;
    }
}
