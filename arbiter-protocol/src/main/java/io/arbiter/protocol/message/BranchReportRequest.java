package io.arbiter.protocol.message;

import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import java.util.Objects;

/**
 * RM&rarr;TC (type 13): {@code str16 xid, i64 branchId, u8 status code, str16 resourceId, str32 applicationData,
 * u8 branchType ordinal}.
 */
public record BranchReportRequest(
        String xid,
        long branchId,
        BranchStatus status,
        String resourceId,
        String applicationData,
        BranchType branchType)
        implements TransactionRequest {

    public BranchReportRequest {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(branchType, "branchType");
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.BRANCH_STATUS_REPORT;
    }
}
