package io.arbiter.server.coordinator;

import io.arbiter.core.model.ErrorCode;
import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.TransactionExceptionCode;

/** Maps the core's enums to the wire enums and back; codes are equal by design. */
final class WireMapping {
    private WireMapping() {}

    static GlobalStatus toWire(io.arbiter.core.model.GlobalStatus s) {
        return GlobalStatus.fromCode(s.code());
    }

    static io.arbiter.core.model.GlobalStatus toCore(GlobalStatus s) {
        return io.arbiter.core.model.GlobalStatus.fromCode(s.code());
    }

    static io.arbiter.core.model.BranchType toCore(BranchType t) {
        return io.arbiter.core.model.BranchType.fromCode(t.code());
    }

    static BranchType toWire(io.arbiter.core.model.BranchType t) {
        return BranchType.fromCode(t.code());
    }

    static io.arbiter.core.model.BranchStatus toCore(BranchStatus s) {
        return io.arbiter.core.model.BranchStatus.fromCode(s.code());
    }

    static TransactionExceptionCode toWire(ErrorCode code) {
        if (code == ErrorCode.LockSlotsMoved
                || code == ErrorCode.LockTableNotReady
                || code == ErrorCode.LockGrantVoid) { // a register that could not take its rows in time: the RM retries
            return TransactionExceptionCode.LockKeyConflict;
        }
        return TransactionExceptionCode.valueOf(code.name());
    }
}
