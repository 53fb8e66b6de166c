package io.arbiter.protocol.message;

import io.arbiter.protocol.BranchType;
import java.util.Objects;

/**
 * TC&rarr;RM branch rollback (SYNC frame): {@code str16 xid, i64 branchId, u8 branchType ordinal, str16 resourceId,
 * str32 applicationData}.
 *
 * <p>The RM's decoder stops reading when the xid or the resourceId is empty, so the encoder rejects a null/empty
 * xid or resourceId with a {@code ProtocolException}.
 */
public record BranchRollbackRequest(
        String xid, long branchId, BranchType branchType, String resourceId, String applicationData)
        implements BranchEndRequest {

    public BranchRollbackRequest {
        Objects.requireNonNull(branchType, "branchType");
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.BRANCH_ROLLBACK;
    }
}
