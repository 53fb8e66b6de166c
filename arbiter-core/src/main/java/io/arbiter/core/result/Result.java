package io.arbiter.core.result;

import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;

/** What applying a command answers to the one who proposed it. */
public sealed interface Result {

    /** A transaction began. */
    record Began(String xid) implements Result { }

    /** A branch was registered. */
    record BranchRegistered(long branchId) implements Result { }

    /**
     * The global status to answer. When {@code awaitOutcome} is set, phase two is running synchronously and the
     * caller should wait for the transaction's {@link Effect.Outcome} before answering (Seata answers a
     * synchronous commit or a rollback after phase two).
     */
    record Status(GlobalStatus status, boolean awaitOutcome) implements Result {
        public static Status of(GlobalStatus status) {
            return new Status(status, false);
        }
    }

    /** Answer to a lock query. */
    record Lockable(boolean lockable) implements Result { }

    /** The command was applied; nothing to answer beyond success. */
    record Done() implements Result {
        public static final Done INSTANCE = new Done();
    }

    /** The command was refused; {@code status} is the transaction's status where one is answered. */
    record Rejected(ErrorCode code, String message, GlobalStatus status) implements Result { }
}
