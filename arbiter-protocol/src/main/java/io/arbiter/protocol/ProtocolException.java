package io.arbiter.protocol;

/**
 * Thrown when bytes on the wire do not form a valid Seata protocol frame or message, or when a message cannot be
 * encoded in a way the peer would understand (unknown enum code, string too long for its length prefix, frame too
 * large, ...).
 *
 * <p>Decoders in this module never let any other exception type escape for malformed input: truncated buffers, bad
 * lengths and unknown codes all surface as a {@code ProtocolException}. A server should treat it as fatal for the
 * connection (log and close), because Seata payloads have no per-item length prefix and the stream cannot be
 * resynchronised.
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
