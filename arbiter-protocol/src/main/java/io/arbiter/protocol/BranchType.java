package io.arbiter.protocol;

/**
 * Branch transaction mode. Travels as {@code enumOrd8}: one byte holding the Java ordinal of Seata's enum, which is
 * {@link #code()} here. AT, TCC, SAGA and XA are known by every client; SAGA_ANNOTATION (4) only by &ge; 2.5.0.
 */
public enum BranchType {
    AT(0),
    TCC(1),
    SAGA(2),
    XA(3),
    SAGA_ANNOTATION(4, ClientVersion.V2_5_0);

    private static final BranchType[] BY_CODE = values();

    private final int code;
    private final ClientVersion since;

    BranchType(int code) {
        this(code, null);
    }

    BranchType(int code, ClientVersion since) {
        this.code = code;
        this.since = since;
    }

    /** The wire value (Seata's enum ordinal). */
    public int code() {
        return code;
    }

    /** True if a client of version {@code v} can decode this branch type. */
    public boolean knownBy(ClientVersion v) {
        return since == null || v.isAtLeast(since);
    }

    /** Looks up a wire value; throws {@link ProtocolException} for an unknown one. */
    public static BranchType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new ProtocolException("unknown BranchType ordinal " + code);
        }
        return BY_CODE[code];
    }
}
