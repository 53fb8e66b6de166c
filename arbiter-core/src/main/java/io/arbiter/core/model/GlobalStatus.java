package io.arbiter.core.model;

/** Status of a global transaction. Codes equal Seata's {@code GlobalStatus} codes (0–17). */
public enum GlobalStatus {
    UnKnown(0),
    Begin(1),
    Committing(2),
    CommitRetrying(3),
    Rollbacking(4),
    RollbackRetrying(5),
    TimeoutRollbacking(6),
    TimeoutRollbackRetrying(7),
    AsyncCommitting(8),
    Committed(9),
    CommitFailed(10),
    Rollbacked(11),
    RollbackFailed(12),
    TimeoutRollbacked(13),
    TimeoutRollbackFailed(14),
    Finished(15),
    CommitRetryTimeout(16),
    RollbackRetryTimeout(17);

    /** Seata 2.4's console status StopCommitOrCommitRetry: commit retries stopped by an operator (not a wire status). */
    public static final int STOP_COMMIT_RETRY_CODE = 19;
    /** Seata 2.4's console status StopRollbackOrRollbackRetry: rollback retries stopped by an operator. */
    public static final int STOP_ROLLBACK_RETRY_CODE = 20;

    private static final GlobalStatus[] BY_CODE = values();
    private final int code;

    GlobalStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static GlobalStatus fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown global status code " + code);
        }
        return BY_CODE[code];
    }

    /** True while the transaction is undoing its branches (its row locks then make waiters fail fast). */
    public boolean isRollingBack() {
        return this == Rollbacking
                || this == RollbackRetrying
                || this == TimeoutRollbacking
                || this == TimeoutRollbackRetrying;
    }

    /** True while phase two commits branches. */
    public boolean isCommitting() {
        return this == Committing || this == CommitRetrying || this == AsyncCommitting;
    }

    /** True in phase two: committing, rolling back or retrying either. */
    public boolean isPhaseTwo() {
        return isCommitting() || isRollingBack();
    }

    /** True for the timeout-driven rollback family. */
    public boolean isTimeout() {
        return this == TimeoutRollbacking
                || this == TimeoutRollbackRetrying
                || this == TimeoutRollbacked
                || this == TimeoutRollbackFailed;
    }

    /** True once the outcome is final: the transaction is then removed. */
    public boolean isFinal() {
        return switch (this) {
            case Committed,
                    CommitFailed,
                    Rollbacked,
                    RollbackFailed,
                    TimeoutRollbacked,
                    TimeoutRollbackFailed,
                    Finished,
                    CommitRetryTimeout,
                    RollbackRetryTimeout -> true;
            default -> false;
        };
    }
}
