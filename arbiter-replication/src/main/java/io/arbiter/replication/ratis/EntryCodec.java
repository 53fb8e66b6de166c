package io.arbiter.replication.ratis;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of one log entry: a batch of opaque commands plus the identity of the batch, so that the replica
 * that proposed it can hand each command's result to its caller when the entry is applied.
 *
 * <pre>
 * +---------+--------------+-------------+---------------+------------------------------------------+
 * | version | proposer id  | batch id    | count         | count times: length       | command bytes |
 * | 1 byte  | int64 (BE)   | int64 (BE)  | varint (u32)  |              varint (u32) | length bytes  |
 * +---------+--------------+-------------+---------------+------------------------------------------+
 * </pre>
 *
 * Varints are unsigned LEB128 (7 bits per byte, low group first). The proposer id is random per running replica,
 * the batch id counts up within it. Stateless and thread-safe.
 */
final class EntryCodec {

    static final byte VERSION = 1;
    /** Bytes before {@code count}. */
    static final int HEADER_BYTES = 1 + 8 + 8;

    /** A decoded entry. */
    record Entry(long proposerId, long batchId, List<byte[]> commands) {}

    private EntryCodec() {}

    static byte[] encode(long proposerId, long batchId, List<byte[]> commands) {
        int size = HEADER_BYTES + varintSize(commands.size());
        for (byte[] c : commands) {
            size += varintSize(c.length) + c.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).putLong(proposerId).putLong(batchId);
        putVarint(out, commands.size());
        for (byte[] c : commands) {
            putVarint(out, c.length);
            out.put(c);
        }
        return out.array();
    }

    /** Decodes a whole entry; {@code in} is consumed. */
    static Entry decode(ByteBuffer in) {
        checkHeader(in);
        long proposerId = in.getLong(in.position() + 1);
        long batchId = in.getLong(in.position() + 9);
        in.position(in.position() + HEADER_BYTES);
        int count = getVarint(in);
        List<byte[]> commands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = getVarint(in);
            if (length > in.remaining()) {
                throw new IllegalArgumentException(
                        "command " + i + " of " + count + " claims " + length + " bytes, " + in.remaining() + " left");
            }
            byte[] c = new byte[length];
            in.get(c);
            commands.add(c);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after " + count + " commands");
        }
        return new Entry(proposerId, batchId, commands);
    }

    /** Reads the proposer id without consuming {@code in}. */
    static long proposerId(ByteBuffer in) {
        checkHeader(in);
        return in.getLong(in.position() + 1);
    }

    /** Reads the batch id without consuming {@code in}. */
    static long batchId(ByteBuffer in) {
        checkHeader(in);
        return in.getLong(in.position() + 9);
    }

    private static void checkHeader(ByteBuffer in) {
        if (in.remaining() < HEADER_BYTES + 1) {
            throw new IllegalArgumentException("entry of " + in.remaining() + " bytes is shorter than its header");
        }
        byte version = in.get(in.position());
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown entry version " + version);
        }
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void putVarint(ByteBuffer out, int v) {
        while ((v & ~0x7F) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static int getVarint(ByteBuffer in) {
        int v = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = in.get();
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (v < 0) {
                    throw new IllegalArgumentException("varint out of range");
                }
                return v;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }
}
