package io.arbiter.protocol.message;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/** TC&rarr;TM global rollback response: TransactionResponse prefix, {@code u8 globalStatus code} (never null). */
public record GlobalRollbackResponse(
        ResultCode resultCode, TransactionExceptionCode exceptionCode, String msg, GlobalStatus globalStatus)
        implements GlobalEndResponse {

    public GlobalRollbackResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        Objects.requireNonNull(globalStatus, "globalStatus");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    public static GlobalRollbackResponse success(GlobalStatus status) {
        return new GlobalRollbackResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, status);
    }

    public static GlobalRollbackResponse failed(TransactionExceptionCode code, String msg, GlobalStatus status) {
        return new GlobalRollbackResponse(ResultCode.Failed, code, msg, status);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_ROLLBACK_RESULT;
    }
}
