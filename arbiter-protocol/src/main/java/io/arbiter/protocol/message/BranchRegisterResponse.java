package io.arbiter.protocol.message;

import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/** TC&rarr;RM (type 12): TransactionResponse prefix, {@code i64 branchId} (written even on failure). */
public record BranchRegisterResponse(
        ResultCode resultCode, TransactionExceptionCode exceptionCode, String msg, long branchId)
        implements TransactionResponse {

    public BranchRegisterResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    public static BranchRegisterResponse success(long branchId) {
        return new BranchRegisterResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, branchId);
    }

    public static BranchRegisterResponse failed(TransactionExceptionCode code, String msg) {
        return new BranchRegisterResponse(ResultCode.Failed, code, msg, 0L);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.BRANCH_REGISTER_RESULT;
    }
}
