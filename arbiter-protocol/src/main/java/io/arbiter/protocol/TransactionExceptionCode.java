package io.arbiter.protocol;

/**
 * Why a transaction request failed: a logical code, independent of any client's numbering. On the wire it travels
 * as the <b>ordinal of the client's own Java enum</b>, and that enum differs between client versions, so the codec
 * translates with {@link #ordinalFor(ClientVersion)} / {@link #fromOrdinal(int, ClientVersion)}.
 *
 * <pre>
 * ordinal  clients 1.x                         clients &ge; 2.0.0 (declaration order of this enum)
 *  0-18    Unknown ... FailedStore              identical
 *  19      LockKeyConflictFailFast (&ge; 1.5.0)   NotRaftLeader
 *  20      TransactionTimeout      (&ge; 1.7.0)   LockKeyConflictFailFast
 *  21      CommitHeuristic         (&ge; 1.7.0)   TransactionTimeout
 *  22      Broken                  (&ge; 1.7.0)   CommitHeuristic
 *  23      -                                    Broken
 * </pre>
 *
 * Downgrades applied when encoding for an older client (see {@link #downgradeFor(ClientVersion)}):
 * NotRaftLeader &rarr; Unknown for clients &lt; 2.0.0; LockKeyConflictFailFast &rarr; LockKeyConflict for clients
 * &lt; 1.5.0; TransactionTimeout, CommitHeuristic and Broken &rarr; Unknown for clients &lt; 1.7.0. So no ordinal
 * &ge; 19 goes to a client &lt; 1.5.0, none &ge; 20 to a client &lt; 1.7.0, none &ge; 23 to a 1.x client and none
 * &ge; 24 to anybody.
 */
public enum TransactionExceptionCode {
    Unknown(0, null),
    BeginFailed(1, null),
    LockKeyConflict(2, null),
    IO(3, null),
    BranchRollbackFailed_Retriable(4, null),
    BranchRollbackFailed_Unretriable(5, null),
    BranchRegisterFailed(6, null),
    BranchReportFailed(7, null),
    LockableCheckFailed(8, null),
    BranchTransactionNotExist(9, null),
    GlobalTransactionNotExist(10, null),
    GlobalTransactionNotActive(11, null),
    GlobalTransactionStatusInvalid(12, null),
    FailedToSendBranchCommitRequest(13, null),
    FailedToSendBranchRollbackRequest(14, null),
    FailedToAddBranch(15, null),
    /** Spelled "FailedLockGlobalTranscation" in clients before 2.1; same ordinal. */
    FailedLockGlobalTransaction(16, null),
    FailedWriteSession(17, null),
    FailedStore(18, null),
    /** Raft mode: this TC is not the leader. 2.x only (ordinal 19 there); absent from 1.x clients. */
    NotRaftLeader(-1, ClientVersion.V2_0_0),
    LockKeyConflictFailFast(19, ClientVersion.V1_5_0),
    TransactionTimeout(20, ClientVersion.V1_7_0),
    CommitHeuristic(21, ClientVersion.V1_7_0),
    Broken(22, ClientVersion.V1_7_0);

    private static final TransactionExceptionCode[] V2_TABLE = values();
    private static final TransactionExceptionCode[] V1_TABLE = buildV1Table();

    /** Ordinal in the 1.x enums, -1 if absent there. */
    private final int v1Ordinal;
    /** First client version that has this code, null if all have it. */
    private final ClientVersion since;

    TransactionExceptionCode(int v1Ordinal, ClientVersion since) {
        this.v1Ordinal = v1Ordinal;
        this.since = since;
    }

    private static TransactionExceptionCode[] buildV1Table() {
        TransactionExceptionCode[] table = new TransactionExceptionCode[23];
        for (TransactionExceptionCode c : values()) {
            if (c.v1Ordinal >= 0) {
                table[c.v1Ordinal] = c;
            }
        }
        return table;
    }

    /** True if a client of version {@code v} has this code in its enum. */
    public boolean knownBy(ClientVersion v) {
        return since == null || v.isAtLeast(since);
    }

    /** The code a client of version {@code v} will actually see when this one is sent to it. */
    public TransactionExceptionCode downgradeFor(ClientVersion v) {
        if (knownBy(v)) {
            return this;
        }
        return this == LockKeyConflictFailFast ? LockKeyConflict : Unknown;
    }

    /** The wire ordinal to send to a client of version {@code v} (after {@link #downgradeFor(ClientVersion)}). */
    public int ordinalFor(ClientVersion v) {
        TransactionExceptionCode c = downgradeFor(v);
        return v.isAtLeast(ClientVersion.V2_0_0) ? c.ordinal() : c.v1Ordinal;
    }

    /**
     * Interprets a wire ordinal received from (or written by) a client of version {@code v}: the 1.x table for
     * versions below 2.0.0, the 2.x table otherwise. The 1.x table is applied leniently (ordinals 19-22 are accepted
     * even from clients older than 1.7.0). Throws {@link ProtocolException} for an ordinal outside the table.
     */
    public static TransactionExceptionCode fromOrdinal(int ordinal, ClientVersion v) {
        TransactionExceptionCode[] table = v.isAtLeast(ClientVersion.V2_0_0) ? V2_TABLE : V1_TABLE;
        if (ordinal < 0 || ordinal >= table.length) {
            throw new ProtocolException(
                    "unknown TransactionExceptionCode ordinal " + ordinal + " for client version " + v);
        }
        return table[ordinal];
    }
}
