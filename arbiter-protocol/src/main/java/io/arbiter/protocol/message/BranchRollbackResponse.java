package io.arbiter.protocol.message;

import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/**
 * RM&rarr;TC branch rollback response: TransactionResponse prefix, {@code str16 xid, i64 branchId,
 * u8 branchStatus code}.
 */
public record BranchRollbackResponse(
        ResultCode resultCode,
        TransactionExceptionCode exceptionCode,
        String msg,
        String xid,
        long branchId,
        BranchStatus branchStatus)
        implements BranchEndResponse {

    public BranchRollbackResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        Objects.requireNonNull(branchStatus, "branchStatus");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.BRANCH_ROLLBACK_RESULT;
    }
}
