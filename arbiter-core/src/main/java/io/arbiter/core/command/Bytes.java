package io.arbiter.core.command;

import io.arbiter.core.lock.ForeignHolder;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fields of our binary encodings: null-aware strings (i32 length, -1 = null, + UTF-8 bytes) and lists (i32 count +
 * elements).
 */
public final class Bytes {
    private static final int MAX_STRING = 16 * 1024 * 1024;
    private static final int MAX_COUNT = 16 * 1024 * 1024;

    private Bytes() {}

    public static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(DataInput in) throws IOException {
        int len = in.readInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > MAX_STRING) {
            throw new IOException("bad string length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** i32 count + the strings (each as {@link #writeString}). */
    public static void writeStrings(DataOutput out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            writeString(out, s);
        }
    }

    public static List<String> readStrings(DataInput in) throws IOException {
        int n = readCount(in);
        List<String> strings = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            strings.add(readString(in));
        }
        return strings;
    }

    /**
     * i32 count + foreign lock holders, each {@code i64 id, string xid, i64 lastAcquiredAt, strings rows, r × i64
     * attempt} (the snapshot's form of them too, since version 7).
     */
    public static void writeHolders(DataOutput out, List<ForeignHolder> holders) throws IOException {
        out.writeInt(holders.size());
        for (ForeignHolder h : holders) {
            out.writeLong(h.transactionId());
            writeString(out, h.xid());
            out.writeLong(h.lastAcquiredAt());
            writeStrings(out, List.copyOf(h.rows()));
            for (long attempt : h.attempts().values()) {
                out.writeLong(attempt);
            }
        }
    }

    /**
     * Reads {@link #writeHolders}' form, or, without {@code withAttempts}, the older one that has no attempts.
     *
     * @throws IOException also for a holder with a null or repeated row key (no writer produces one)
     */
    public static List<ForeignHolder> readHolders(DataInput in, boolean withAttempts) throws IOException {
        int n = readCount(in);
        List<ForeignHolder> holders = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            long transactionId = in.readLong();
            String xid = readString(in);
            long lastAcquiredAt = in.readLong();
            List<String> rows = readStrings(in);
            java.util.Map<String, Long> attempts = new java.util.LinkedHashMap<>();
            for (String row : rows) {
                if (row == null || attempts.put(row, withAttempts ? in.readLong() : 0L) != null) {
                    throw new IOException("a foreign lock holder with a null or repeated row key");
                }
            }
            holders.add(new ForeignHolder(transactionId, xid, lastAcquiredAt, attempts));
        }
        return holders;
    }

    /** An i32 element count, checked. */
    public static int readCount(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    /** {@code i32 length, bytes}. */
    public static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads what {@link #writeBytes} wrote; the length is checked. */
    public static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[readCount(in)];
        in.readFully(bytes);
        return bytes;
    }
}
