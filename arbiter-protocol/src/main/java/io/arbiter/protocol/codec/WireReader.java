package io.arbiter.protocol.codec;

import io.arbiter.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked big-endian reads from a {@link ByteBuf}; every shortfall becomes a {@link ProtocolException} naming
 * the message and field, never an {@code IndexOutOfBoundsException}. Not thread-safe (it advances the buffer's reader
 * index); create one per decode call.
 */
final class WireReader {

    private final ByteBuf in;
    private final String what;

    WireReader(ByteBuf in, String what) {
        this.in = in;
        this.what = what;
    }

    ByteBuf buffer() {
        return in;
    }

    int remaining() {
        return in.readableBytes();
    }

    private void need(int n, String field) {
        if (in.readableBytes() < n) {
            throw new ProtocolException("truncated " + what + ": " + field + " needs " + n + " byte(s) but only "
                    + in.readableBytes() + " remain");
        }
    }

    /** Unsigned byte. */
    int u8(String field) {
        need(1, field);
        return in.readUnsignedByte();
    }

    /** Signed byte. */
    int i8(String field) {
        need(1, field);
        return in.readByte();
    }

    /** Signed 16-bit. */
    int i16(String field) {
        need(2, field);
        return in.readShort();
    }

    int i32(String field) {
        need(4, field);
        return in.readInt();
    }

    long i64(String field) {
        need(8, field);
        return in.readLong();
    }

    /** {@code i16 length + UTF-8}; a length &le; 0 means no bytes follow and yields null. */
    String str16(String field) {
        return chars(i16(field + " length"), field);
    }

    /** {@code i32 length + UTF-8}; a length &le; 0 means no bytes follow and yields null. */
    String str32(String field) {
        return chars(i32(field + " length"), field);
    }

    /** Reads {@code len} UTF-8 bytes; null when {@code len <= 0}. */
    String chars(int len, String field) {
        if (len <= 0) {
            return null;
        }
        need(len, field);
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    /** Reads the next {@code len} bytes as a slice sharing the buffer (for length-delimited containers). */
    ByteBuf slice(int len, String field) {
        if (len < 0) {
            throw new ProtocolException("malformed " + what + ": negative " + field + " " + len);
        }
        need(len, field);
        return in.readSlice(len);
    }
}
