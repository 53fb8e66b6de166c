package io.arbiter.protocol.message;

import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/** TC&rarr;RM (type 22): TransactionResponse prefix, {@code i16 lockable} (1 = true; yes, a 2-byte boolean). */
public record GlobalLockQueryResponse(
        ResultCode resultCode, TransactionExceptionCode exceptionCode, String msg, boolean lockable)
        implements TransactionResponse {

    public GlobalLockQueryResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    public static GlobalLockQueryResponse success(boolean lockable) {
        return new GlobalLockQueryResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, lockable);
    }

    public static GlobalLockQueryResponse failed(TransactionExceptionCode code, String msg) {
        return new GlobalLockQueryResponse(ResultCode.Failed, code, msg, false);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_LOCK_QUERY_RESULT;
    }
}
