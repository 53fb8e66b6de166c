package io.arbiter.core.model;

/** Status of a branch. Codes equal Seata's {@code BranchStatus} codes (0–14). */
public enum BranchStatus {
    Unknown,
    Registered,
    PhaseOne_Done,
    PhaseOne_Failed,
    PhaseOne_Timeout,
    PhaseTwo_Committed,
    PhaseTwo_CommitFailed_Retryable,
    PhaseTwo_CommitFailed_Unretryable,
    PhaseTwo_Rollbacked,
    PhaseTwo_RollbackFailed_Retryable,
    PhaseTwo_RollbackFailed_Unretryable,
    PhaseTwo_CommitFailed_XAER_NOTA_Retryable,
    PhaseTwo_RollbackFailed_XAER_NOTA_Retryable,
    PhaseOne_RDONLY,
    STOP_RETRY;

    private static final BranchStatus[] BY_CODE = values();

    public int code() {
        return ordinal();
    }

    public static BranchStatus fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown branch status code " + code);
        }
        return BY_CODE[code];
    }

    /** True when phase two of this branch is over (committed or rolled back, or failed for good). */
    public boolean isPhaseTwoFinal() {
        return this == PhaseTwo_Committed
                || this == PhaseTwo_Rollbacked
                || this == PhaseTwo_CommitFailed_Unretryable
                || this == PhaseTwo_RollbackFailed_Unretryable;
    }
}
