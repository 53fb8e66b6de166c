package io.arbiter.protocol;

/**
 * Status of a branch transaction. Travels as {@code enumCode8}: one byte holding {@link #code()} (equal to the
 * ordinal). It flows RM&rarr;TC (BranchReport, BranchCommit/RollbackResponse), so a TC accepts all of 0-14.
 *
 * <p>Client support: 0-10 every client; 11-12 (XAER_NOTA) &ge; 1.5.0; 13 PhaseOne_RDONLY &ge; 2.2.0;
 * 14 STOP_RETRY &ge; 2.5.0.
 */
public enum BranchStatus {
    Unknown(0),
    Registered(1),
    PhaseOne_Done(2),
    PhaseOne_Failed(3),
    PhaseOne_Timeout(4),
    PhaseTwo_Committed(5),
    PhaseTwo_CommitFailed_Retryable(6),
    PhaseTwo_CommitFailed_Unretryable(7),
    PhaseTwo_Rollbacked(8),
    PhaseTwo_RollbackFailed_Retryable(9),
    PhaseTwo_RollbackFailed_Unretryable(10),
    PhaseTwo_CommitFailed_XAER_NOTA_Retryable(11, ClientVersion.V1_5_0),
    PhaseTwo_RollbackFailed_XAER_NOTA_Retryable(12, ClientVersion.V1_5_0),
    PhaseOne_RDONLY(13, ClientVersion.V2_2_0),
    STOP_RETRY(14, ClientVersion.V2_5_0);

    private static final BranchStatus[] BY_CODE = values();

    private final int code;
    private final ClientVersion since;

    BranchStatus(int code) {
        this(code, null);
    }

    BranchStatus(int code, ClientVersion since) {
        this.code = code;
        this.since = since;
    }

    /** The wire code (equal to the ordinal). */
    public int code() {
        return code;
    }

    /** True if a client of version {@code v} can decode this status. */
    public boolean knownBy(ClientVersion v) {
        return since == null || v.isAtLeast(since);
    }

    /** Looks up a wire code; throws {@link ProtocolException} for an unknown code. */
    public static BranchStatus fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new ProtocolException("unknown BranchStatus code " + code);
        }
        return BY_CODE[code];
    }
}
