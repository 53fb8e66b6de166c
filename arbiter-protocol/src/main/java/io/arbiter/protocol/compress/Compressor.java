package io.arbiter.protocol.compress;

import io.arbiter.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Body compressors, identified by the frame's compressor byte (Seata {@code CompressorType}: NONE 0, GZIP 1, ZIP 2,
 * SEVENZ 3, BZIP2 4, LZ4 5, DEFLATER 6, ZSTD 7). Only NONE and GZIP are supported; the other codes are rejected
 * with a {@link ProtocolException}.
 *
 * <p>GZIP matches Seata's {@code GzipUtil} byte for byte: a plain {@code java.util.zip.GZIPOutputStream} over the
 * whole serialized body (a single gzip member, default level, no file name, mtime 0). Decompression is capped at
 * {@link #MAX_DECOMPRESSED_LENGTH} to defuse compression bombs.
 *
 * <p>Stateless and thread-safe.
 */
public enum Compressor {
    NONE((byte) 0),
    GZIP((byte) 1);

    /** Largest body accepted after decompression: the same as the largest frame. */
    public static final int MAX_DECOMPRESSED_LENGTH = 8 * 1024 * 1024;

    private static final String[] SEATA_NAMES = {"NONE", "GZIP", "ZIP", "SEVENZ", "BZIP2", "LZ4", "DEFLATER", "ZSTD"};

    private final byte code;

    Compressor(byte code) {
        this.code = code;
    }

    /** The frame's compressor byte. */
    public byte code() {
        return code;
    }

    /** Looks up a compressor byte; throws {@link ProtocolException} for unknown or unsupported codes. */
    public static Compressor fromCode(int code) {
        if (code == NONE.code) {
            return NONE;
        }
        if (code == GZIP.code) {
            return GZIP;
        }
        if (code > 0 && code < SEATA_NAMES.length) {
            throw new ProtocolException("unsupported compressor " + SEATA_NAMES[code] + " (code " + code + ")");
        }
        throw new ProtocolException("unknown compressor code " + code);
    }

    /** Compresses a serialized body. Returns the input itself for NONE. */
    public byte[] compress(byte[] data) {
        if (this == NONE) {
            return data;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(32, data.length / 2));
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(data);
            gzip.finish();
        } catch (IOException e) {
            throw new ProtocolException("gzip compression failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decompresses a body. Returns the input itself for NONE. Throws {@link ProtocolException} for corrupt data or
     * when the result would exceed {@link #MAX_DECOMPRESSED_LENGTH}.
     */
    public byte[] decompress(byte[] data) {
        if (this == NONE) {
            return data;
        }
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(data))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length * 2));
            byte[] buf = new byte[8192];
            int n;
            while ((n = gzip.read(buf)) != -1) {
                if (out.size() + n > MAX_DECOMPRESSED_LENGTH) {
                    throw new ProtocolException("gzip body expands beyond " + MAX_DECOMPRESSED_LENGTH + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProtocolException pe) {
                throw pe;
            }
            throw new ProtocolException("corrupt gzip body: " + e.getMessage(), e);
        }
    }
}
