package io.arbiter.protocol.codec;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Static helpers writing Seata's string encodings. Stateless and thread-safe. */
final class WireWriter {

    /** Largest byte length an {@code i16} length prefix can carry. */
    static final int MAX_STR16_BYTES = Short.MAX_VALUE;

    private WireWriter() {}

    /** {@code str16}: null and "" are written as length 0. Longer than 32767 UTF-8 bytes is refused. */
    static void str16(ByteBuf out, String s, String field) {
        if (s == null || s.isEmpty()) {
            out.writeShort(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STR16_BYTES) {
            throw new ProtocolException(
                    field + " is " + b.length + " UTF-8 bytes; str16 allows at most " + MAX_STR16_BYTES);
        }
        out.writeShort(b.length);
        out.writeBytes(b);
    }

    /** {@code str32}: null and "" are written as length 0. */
    static void str32(ByteBuf out, String s) {
        if (s == null || s.isEmpty()) {
            out.writeInt(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.writeBytes(b);
    }

    /**
     * The response message string: like {@code str16}, but silently truncated to at most 32767 UTF-8 bytes on a
     * character boundary (Seata truncates by chars, which can still overflow the length prefix).
     */
    static void msg(ByteBuf out, String msg) {
        if (msg == null || msg.isEmpty()) {
            out.writeShort(0);
            return;
        }
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        int len = b.length;
        if (len > MAX_STR16_BYTES) {
            len = MAX_STR16_BYTES;
            // b[len] is the first byte left out; if it is a continuation byte, back up to its lead byte.
            while (len > 0 && (b[len] & 0xC0) == 0x80) {
                len--;
            }
        }
        out.writeShort(len);
        out.writeBytes(b, 0, len);
    }

    /** Refuses to encode an enum value the receiving client cannot decode. */
    static void requireKnown(boolean known, Enum<?> value, ClientVersion v) {
        if (!known) {
            throw new ProtocolException(value.getDeclaringClass().getSimpleName() + "." + value.name()
                    + " is not known by client version " + v + "; choose a value it understands");
        }
    }
}
