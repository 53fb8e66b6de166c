package io.arbiter.protocol.message;

import io.arbiter.protocol.BranchType;
import java.util.Objects;

/**
 * RM&rarr;TC (type 21): exactly the BranchRegisterRequest layout. {@code xid} may be null (a {@code @GlobalLock}
 * outside any global transaction); branchType is AT.
 */
public record GlobalLockQueryRequest(
        String xid, BranchType branchType, String resourceId, String lockKey, String applicationData)
        implements TransactionRequest {

    public GlobalLockQueryRequest {
        Objects.requireNonNull(branchType, "branchType");
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.GLOBAL_LOCK_QUERY;
    }
}
