package io.arbiter.protocol;

/**
 * Status of a global transaction. Travels as {@code enumCode8}: one byte holding {@link #code()}, which equals the
 * ordinal.
 *
 * <p>Which codes each client understands (its decoder indexes {@code values()[code]} and throws on anything else):
 * <ul>
 *   <li>0-15: every client;</li>
 *   <li>16 CommitRetryTimeout, 17 RollbackRetryTimeout: clients &ge; 1.5.0 (all 1.8/2.x clients);</li>
 *   <li>18 Deleting, 19 StopCommitOrCommitRetry, 20 StopRollbackOrRollbackRetry: clients &ge; 2.5.0 only
 *       (never send &gt; 17 to 1.8-2.2 clients).</li>
 * </ul>
 * Use {@link #knownBy(ClientVersion)} before sending; the codec refuses to encode an unknown value.
 */
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
    /** Not found / no longer managed by the TC. */
    Finished(15),
    CommitRetryTimeout(16, ClientVersion.V1_5_0),
    RollbackRetryTimeout(17, ClientVersion.V1_5_0),
    Deleting(18, ClientVersion.V2_5_0),
    StopCommitOrCommitRetry(19, ClientVersion.V2_5_0),
    StopRollbackOrRollbackRetry(20, ClientVersion.V2_5_0);

    private static final GlobalStatus[] BY_CODE = values();

    private final int code;
    private final ClientVersion since;

    GlobalStatus(int code) {
        this(code, null);
    }

    GlobalStatus(int code, ClientVersion since) {
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

    /** The highest GlobalStatus code a client of version {@code v} can decode (15, 17 or 20). */
    public static int maxCodeFor(ClientVersion v) {
        int max = 0;
        for (GlobalStatus s : BY_CODE) {
            if (s.knownBy(v)) {
                max = Math.max(max, s.code);
            }
        }
        return max;
    }

    /** Looks up a wire code; throws {@link ProtocolException} for an unknown code. */
    public static GlobalStatus fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new ProtocolException("unknown GlobalStatus code " + code);
        }
        return BY_CODE[code];
    }
}
