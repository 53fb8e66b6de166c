package io.arbiter.protocol.message;

import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import java.util.Objects;

/** TC&rarr;RM (type 14): the TransactionResponse prefix only. */
public record BranchReportResponse(ResultCode resultCode, TransactionExceptionCode exceptionCode, String msg)
        implements TransactionResponse {

    public BranchReportResponse {
        Objects.requireNonNull(resultCode, "resultCode");
        exceptionCode = exceptionCode == null ? TransactionExceptionCode.Unknown : exceptionCode;
    }

    public static BranchReportResponse success() {
        return new BranchReportResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null);
    }

    public static BranchReportResponse failed(TransactionExceptionCode code, String msg) {
        return new BranchReportResponse(ResultCode.Failed, code, msg);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.BRANCH_STATUS_REPORT_RESULT;
    }
}
