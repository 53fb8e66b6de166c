package io.arbiter.protocol.message;

import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/** TC&rarr;TM (type 2): TransactionResponse prefix, {@code str16 xid, str16 extraData}. */
public record GlobalBeginResponse(
        ResultCode resultCode, TransactionExceptionCode exceptionCode, String msg, String xid, String extraData)
        implements TransactionResponse {

    public GlobalBeginResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    public static GlobalBeginResponse success(String xid) {
        return new GlobalBeginResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, xid, null);
    }

    public static GlobalBeginResponse failed(TransactionExceptionCode code, String msg) {
        return new GlobalBeginResponse(ResultCode.Failed, code, msg, null, null);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_BEGIN_RESULT;
    }
}
