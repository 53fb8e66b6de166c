package io.arbiter.protocol.message;

import io.arbiter.protocol.BranchStatus;

/** RM&rarr;TC branch commit / rollback response: TransactionResponse prefix, xid, branchId, branchStatus. */
public sealed interface BranchEndResponse extends TransactionResponse
        permits BranchCommitResponse, BranchRollbackResponse {

    String xid();

    long branchId();

    BranchStatus branchStatus();
}
