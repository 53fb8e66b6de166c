package io.arbiter.core.model;

/**
 * Why the coordinator refused a command. Names match Seata's {@code TransactionExceptionCode} so the
 * gateway can map them onto the wire table of each client version.
 */
public enum ErrorCode {
    GlobalTransactionNotExist,
    GlobalTransactionStatusInvalid,
    BranchTransactionNotExist,
    LockKeyConflict,
    LockKeyConflictFailFast,
    BranchRegisterFailed,
    FailedToAddBranch
}
