package io.arbiter.core.result;

import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.view.ContendedRow;
import io.arbiter.core.view.ContendedTable;
import io.arbiter.core.view.LockView;
import io.arbiter.core.view.TransactionView;
import java.util.List;

/** What applying a command answers to the one who proposed it. */
public sealed interface Result {

    /** A transaction began. */
    record Began(String xid) implements Result {}

    /** A branch was registered. */
    record BranchRegistered(long branchId) implements Result {}

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
    record Lockable(boolean lockable) implements Result {}

    /** The command was applied; nothing to answer beyond success. */
    record Done() implements Result {
        public static final Done INSTANCE = new Done();
    }

    /**
     * Answer to {@link io.arbiter.core.command.Command.AcquireLocks}: all rows are held; {@code rows} are those
     * newly taken (rows the transaction held before are not listed), the ones to release if the attempt is undone.
     */
    record LocksTaken(List<String> rows, long grantTerm) implements Result {
        public LocksTaken {
            rows = List.copyOf(rows);
        }

        /** Rows taken by a replicated command (grant term 0: no fence applies to them). */
        public LocksTaken(List<String> rows) {
            this(rows, 0);
        }
    }

    /** Answer to {@link io.arbiter.core.command.Command.LockBatch}: each command's result, in the batch's order. */
    record Batch(List<Result> results) implements Result {
        public Batch {
            results = List.copyOf(results);
        }
    }

    /**
     * Answer to {@link io.arbiter.core.command.Command.QueryAlive}: the asked ids that are definitely over, in the
     * order asked.
     */
    record Liveness(List<Long> ended) implements Result {
        public Liveness {
            ended = List.copyOf(ended);
        }
    }

    /** Answer to {@link io.arbiter.core.command.Command.ListForeignHolders}: transaction ids, ascending. */
    record Holders(List<Long> transactionIds) implements Result {
        public Holders {
            transactionIds = List.copyOf(transactionIds);
        }
    }

    /**
     * Answer to {@link io.arbiter.core.command.Command.HandOverLocks}: the foreign holders with their rows, by
     * ascending id.
     */
    record ForeignLocks(List<io.arbiter.core.lock.ForeignHolder> holders) implements Result {
        public ForeignLocks {
            holders = List.copyOf(holders);
        }
    }

    /** Answer to {@code ListTransactions}: the first matches and how many matched in all. */
    record Transactions(int total, List<TransactionView> transactions) implements Result {
        public Transactions {
            transactions = List.copyOf(transactions);
        }
    }

    /** Answer to {@code ListLocks}: the first matches and how many matched in all. */
    record Locks(int total, List<LockView> locks) implements Result {
        public Locks {
            locks = List.copyOf(locks);
        }
    }

    /** Answer to {@code ListContention}: refusals per table (most first) and the most refused rows. */
    record Contention(List<ContendedTable> tables, List<ContendedRow> rows) implements Result {
        public Contention {
            tables = List.copyOf(tables);
            rows = List.copyOf(rows);
        }
    }

    /** The command was refused; {@code status} is the transaction's status where one is answered. */
    record Rejected(ErrorCode code, String message, GlobalStatus status) implements Result {}
}
