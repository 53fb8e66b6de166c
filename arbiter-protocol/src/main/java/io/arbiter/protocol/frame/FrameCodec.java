package io.arbiter.protocol.frame;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.codec.SeataCodec;
import io.arbiter.protocol.compress.Compressor;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes and decodes whole protocol-v1 frames (Seata {@code ProtocolEncoderV1}/{@code ProtocolDecoderV1}).
 *
 * <pre>
 *  0     1     2     3     4     5     6     7     8     9     10    11    12    13    14    15
 * +-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+
 * |   magic   |ver=1|      fullLength (i32)     | headLength|msg  |codec|comp-|      requestId      |
 * | 0xDA 0xDA |     |  whole frame incl. header | (i16)     |type |     |ress.|        (i32)        |
 * +-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+-----+
 * | head map: headLength - 16 bytes of (i16 len + UTF-8 key, i16 len + UTF-8 value)...  (optional)  |
 * +-------------------------------------------------------------------------------------------------+
 * | body: fullLength - headLength bytes = compressor(SEATA codec: i16 typeCode + payload)           |
 * |       absent for heartbeats (messageType 3 PING / 4 PONG)                                       |
 * +-------------------------------------------------------------------------------------------------+
 * </pre>
 *
 * Framing in a Netty pipeline: {@code new LengthFieldBasedFrameDecoder(MAX_FRAME_LENGTH, LENGTH_FIELD_OFFSET,
 * LENGTH_FIELD_LENGTH, LENGTH_ADJUSTMENT, INITIAL_BYTES_TO_STRIP)} yields exactly one frame per buffer, which
 * {@link #decode(ByteBuf, ClientVersion)} then validates and decodes.
 *
 * <p>Decoding checks, each failing with {@link ProtocolException}: at least 16 bytes; magic {@code 0xDADA};
 * version 1; {@code 16 <= headLength <= fullLength <= MAX_FRAME_LENGTH} and {@code fullLength} bytes present; a
 * well-formed head map; codec byte {@link #CODEC_SEATA}; a supported compressor; a decodable body. The messageType
 * byte is not restricted (peers route on the body's type code). Stateless and thread-safe.
 */
public final class FrameCodec {

    /** Largest frame (fullLength) either side accepts: 8 MiB. */
    public static final int MAX_FRAME_LENGTH = 8 * 1024 * 1024;
    /** Offset of the fullLength field. */
    public static final int LENGTH_FIELD_OFFSET = 3;
    /** Width of the fullLength field. */
    public static final int LENGTH_FIELD_LENGTH = 4;
    /** fullLength counts the 7 bytes up to and including itself, so the framer subtracts them. */
    public static final int LENGTH_ADJUSTMENT = -7;
    /** The framer keeps the header. */
    public static final int INITIAL_BYTES_TO_STRIP = 0;
    /** Size of the fixed header. */
    public static final int HEADER_LENGTH = 16;
    /** The two magic bytes as a big-endian short value. */
    public static final int MAGIC = 0xDADA;
    /** The protocol version byte. */
    public static final byte VERSION = 1;
    /** The SEATA serializer, the only codec supported. */
    public static final byte CODEC_SEATA = 1;

    private FrameCodec() {}

    /** Decodes with the newest client version's tables. */
    public static Frame decode(ByteBuf completeFrame) {
        return decode(completeFrame, ClientVersion.LATEST);
    }

    /**
     * Decodes exactly one whole frame starting at the reader index and advances the reader index past it (by
     * {@code fullLength}; any further bytes are left alone). Does not release the buffer. On failure the reader
     * index is unchanged.
     */
    public static Frame decode(ByteBuf completeFrame, ClientVersion v) {
        Objects.requireNonNull(completeFrame, "completeFrame");
        Objects.requireNonNull(v, "version");
        try {
            return decodeChecked(completeFrame, v);
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProtocolException("malformed frame: " + e, e);
        }
    }

    private static Frame decodeChecked(ByteBuf in, ClientVersion v) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable >= 2 && in.getUnsignedShort(start) != MAGIC) {
            throw new ProtocolException(String.format("bad magic 0x%04X, expected 0xDADA", in.getUnsignedShort(start)));
        }
        if (readable >= 3 && in.getByte(start + 2) != VERSION) {
            throw new ProtocolException("unsupported protocol version " + in.getByte(start + 2) + ", expected 1");
        }
        if (readable < HEADER_LENGTH) {
            throw new ProtocolException("frame of " + readable + " bytes is shorter than the 16-byte header");
        }
        int fullLength = in.getInt(start + 3);
        int headLength = in.getShort(start + 7);
        if (fullLength < HEADER_LENGTH || fullLength > MAX_FRAME_LENGTH) {
            throw new ProtocolException("fullLength " + fullLength + " outside [16, " + MAX_FRAME_LENGTH + "]");
        }
        if (fullLength > readable) {
            throw new ProtocolException(
                    "truncated frame: fullLength " + fullLength + " but only " + readable + " bytes present");
        }
        if (headLength < HEADER_LENGTH || headLength > fullLength) {
            throw new ProtocolException("headLength " + headLength + " outside [16, fullLength " + fullLength + "]");
        }
        byte messageType = in.getByte(start + 9);
        byte codec = in.getByte(start + 10);
        byte compressorCode = in.getByte(start + 11);
        int requestId = in.getInt(start + 12);
        Map<String, String> headMap = HeadMapCodec.decode(in.slice(start + HEADER_LENGTH, headLength - HEADER_LENGTH));
        if (codec != CODEC_SEATA) {
            throw new ProtocolException("unsupported codec " + (codec & 0xFF) + ", only SEATA (1) is supported");
        }
        Compressor compressor = Compressor.fromCode(compressorCode);
        int bodyLength = fullLength - headLength;
        SeataMessage body;
        if (messageType == MessageKind.HEARTBEAT_REQUEST) {
            body = HeartbeatMessage.PING;
        } else if (messageType == MessageKind.HEARTBEAT_RESPONSE) {
            body = HeartbeatMessage.PONG;
        } else if (bodyLength == 0) {
            body = null;
        } else if (compressor == Compressor.NONE) {
            body = SeataCodec.decode(in.slice(start + headLength, bodyLength), v);
        } else {
            byte[] raw = ByteBufUtil.getBytes(in, start + headLength, bodyLength);
            body = SeataCodec.decode(Unpooled.wrappedBuffer(compressor.decompress(raw)), v);
        }
        Frame frame = new Frame(messageType, codec, compressorCode, requestId, headMap, body);
        in.readerIndex(start + fullLength);
        return frame;
    }

    /** Encodes for the newest client version. */
    public static void encode(Frame f, ByteBuf out) {
        encode(f, out, ClientVersion.LATEST);
    }

    /**
     * Appends the whole frame to {@code out}. The body is serialized for a peer of version {@code v} and compressed
     * with the frame's compressor; heartbeats get no body. Throws {@link ProtocolException} (leaving {@code out}'s
     * writer index unchanged) for an unsupported codec or compressor, an unencodable body, a head map over 32767
     * bytes or a frame over {@link #MAX_FRAME_LENGTH}.
     */
    public static void encode(Frame f, ByteBuf out, ClientVersion v) {
        Objects.requireNonNull(f, "frame");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(v, "version");
        int start = out.writerIndex();
        try {
            encodeChecked(f, out, v, start);
        } catch (ProtocolException e) {
            out.writerIndex(start);
            throw e;
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw new ProtocolException("cannot encode frame: " + e, e);
        }
    }

    private static void encodeChecked(Frame f, ByteBuf out, ClientVersion v, int start) {
        if (f.codec() != CODEC_SEATA) {
            throw new ProtocolException("unsupported codec " + (f.codec() & 0xFF) + ", only SEATA (1) is supported");
        }
        Compressor compressor = Compressor.fromCode(f.compressor());
        out.writeShort(MAGIC);
        out.writeByte(VERSION);
        out.writeInt(0); // fullLength, patched below
        out.writeShort(0); // headLength, patched below
        out.writeByte(f.messageType());
        out.writeByte(f.codec());
        out.writeByte(f.compressor());
        out.writeInt(f.requestId());
        HeadMapCodec.encode(f.headMap(), out);
        int headLength = out.writerIndex() - start;
        if (headLength > Short.MAX_VALUE) {
            throw new ProtocolException("head map too large: headLength " + headLength + " exceeds " + Short.MAX_VALUE);
        }
        if (!f.isHeartbeat() && f.body() != null) {
            if (compressor == Compressor.NONE) {
                SeataCodec.encode(f.body(), out, v);
            } else {
                ByteBuf plain = Unpooled.buffer();
                try {
                    SeataCodec.encode(f.body(), plain, v);
                    out.writeBytes(compressor.compress(ByteBufUtil.getBytes(plain)));
                } finally {
                    plain.release();
                }
            }
        }
        int fullLength = out.writerIndex() - start;
        if (fullLength > MAX_FRAME_LENGTH) {
            throw new ProtocolException("frame of " + fullLength + " bytes exceeds " + MAX_FRAME_LENGTH);
        }
        out.setInt(start + LENGTH_FIELD_OFFSET, fullLength);
        out.setShort(start + 7, headLength);
    }
}
