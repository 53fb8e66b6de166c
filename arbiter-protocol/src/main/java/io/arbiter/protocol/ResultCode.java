package io.arbiter.protocol;

/** Result of a response. Travels as one byte holding the ordinal: 0 = Failed, 1 = Success. */
public enum ResultCode {
    Failed(0),
    Success(1);

    private final int code;

    ResultCode(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** Looks up a wire value; throws {@link ProtocolException} for anything but 0 or 1. */
    public static ResultCode fromCode(int code) {
        return switch (code) {
            case 0 -> Failed;
            case 1 -> Success;
            default -> throw new ProtocolException("unknown ResultCode " + code);
        };
    }
}
