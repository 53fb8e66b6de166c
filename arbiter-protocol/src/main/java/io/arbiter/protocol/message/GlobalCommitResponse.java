package io.arbiter.protocol.message;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/** TC&rarr;TM global commit response: TransactionResponse prefix, {@code u8 globalStatus code} (never null). */
public record GlobalCommitResponse(
        ResultCode resultCode, TransactionExceptionCode exceptionCode, String msg, GlobalStatus globalStatus)
        implements GlobalEndResponse {

    public GlobalCommitResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        Objects.requireNonNull(globalStatus, "globalStatus");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    public static GlobalCommitResponse success(GlobalStatus status) {
        return new GlobalCommitResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, status);
    }

    public static GlobalCommitResponse failed(TransactionExceptionCode code, String msg, GlobalStatus status) {
        return new GlobalCommitResponse(ResultCode.Failed, code, msg, status);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_COMMIT_RESULT;
    }
}
