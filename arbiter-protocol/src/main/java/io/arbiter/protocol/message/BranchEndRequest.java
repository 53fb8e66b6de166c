package io.arbiter.protocol.message;

import io.arbiter.protocol.BranchType;

/** TC&rarr;RM branch commit / rollback request. */
public sealed interface BranchEndRequest extends TransactionRequest permits BranchCommitRequest, BranchRollbackRequest {

    String xid();

    long branchId();

    BranchType branchType();

    String resourceId();

    String applicationData();
}
