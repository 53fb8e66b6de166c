package io.arbiter.core.model;

/** Transaction mode of a branch. Codes equal Seata's {@code BranchType} ordinals. */
public enum BranchType {
    AT,
    TCC,
    SAGA,
    XA,
    SAGA_ANNOTATION;

    private static final BranchType[] BY_CODE = values();

    public int code() {
        return ordinal();
    }

    public static BranchType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown branch type code " + code);
        }
        return BY_CODE[code];
    }
}
