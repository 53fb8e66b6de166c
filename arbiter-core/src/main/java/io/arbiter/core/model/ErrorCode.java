package io.arbiter.core.model;

/**
 * Why the coordinator refused a command. Names match Seata's {@code TransactionExceptionCode} so the
 * gateway can map them onto the wire table of each client version (but the last, which is Arbiter's own). Codes are
 * stored by ordinal: new ones go at the end.
 */
public enum ErrorCode {
    GlobalTransactionNotExist,
    GlobalTransactionStatusInvalid,
    BranchTransactionNotExist,
    LockKeyConflict,
    LockKeyConflictFailFast,
    BranchRegisterFailed,
    FailedToAddBranch,
    /**
     * Arbiter's own (never sent as such): the fragment asked to take rows has handed its lock slots over to another
     * fragment; the sender takes them again where its cluster map now places them. Clients hear LockKeyConflict
     * if it cannot.
     */
    LockSlotsMoved,
    /**
     * Arbiter's own (never sent as such): the leader of a lock-only fragment has not rebuilt its lock table for its
     * term yet (or no longer leads); the sender tries again shortly. Clients hear LockKeyConflict if it cannot.
     */
    LockTableNotReady,
    /**
     * Arbiter's own (never sent as such): a register named rows granted by a lock leader whose term this fragment
     * has fenced off (a newer leader rebuilt its table without them); the sender takes them again. Clients hear
     * LockKeyConflict if it cannot.
     */
    LockGrantVoid
}
