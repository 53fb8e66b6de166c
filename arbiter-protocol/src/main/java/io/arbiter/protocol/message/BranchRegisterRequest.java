package io.arbiter.protocol.message;

import io.arbiter.protocol.BranchType;
import java.util.Objects;

/**
 * RM&rarr;TC (type 11): {@code str16 xid, u8 branchType ordinal, str16 resourceId, str32 lockKey,
 * str32 applicationData}.
 *
 * @param lockKey         AT only: {@code table1:pk1,pk2;table2:pk3}; may be null
 * @param applicationData JSON such as {@code {"autoCommit":false}} or the TCC action context; may be null
 */
public record BranchRegisterRequest(
        String xid, BranchType branchType, String resourceId, String lockKey, String applicationData)
        implements TransactionRequest {

    public BranchRegisterRequest {
        Objects.requireNonNull(branchType, "branchType");
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.BRANCH_REGISTER;
    }
}
