package io.arbiter.server.rpc;

import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.frame.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Cuts the stream into whole v1 frames (length at offset 3, 4 bytes, adjustment −7, at most 8 MiB), checking the
 * magic {@code 0xDADA} and version byte first, so a connection that sends garbage is closed at once instead of
 * waiting for as many bytes as the garbage "length" claims. A frame must arrive whole within {@code wholeWithin} of
 * its first byte: a sender that trickles a frame (which the read-idle timeout does not catch) is closed on its next
 * byte after that, and the bytes it sent are dropped with the connection.
 *
 * <p>Threading: one instance per channel, on its event loop.
 */
public final class SeataFrameDecoder extends LengthFieldBasedFrameDecoder {
    private final long wholeWithinNanos;
    private final LongSupplier nanoTime;
    private long partialSince;
    private boolean partial;

    /** @param wholeWithin how long a frame may take to arrive from its first byte to its last */
    public SeataFrameDecoder(Duration wholeWithin) {
        this(wholeWithin, System::nanoTime);
    }

    /** @param nanoTime elapsed-time source ({@link System#nanoTime()} in production) */
    SeataFrameDecoder(Duration wholeWithin, LongSupplier nanoTime) {
        super(
                FrameCodec.MAX_FRAME_LENGTH,
                FrameCodec.LENGTH_FIELD_OFFSET,
                FrameCodec.LENGTH_FIELD_LENGTH,
                FrameCodec.LENGTH_ADJUSTMENT,
                FrameCodec.INITIAL_BYTES_TO_STRIP);
        this.wholeWithinNanos = wholeWithin.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available >= 1 && in.getUnsignedByte(start) != 0xDA
                || available >= 2 && in.getUnsignedByte(start + 1) != 0xDA) {
            throw new ProtocolException("not a Seata frame: bad magic");
        }
        if (available >= 3 && in.getByte(start + 2) != FrameCodec.VERSION) {
            throw new ProtocolException("unsupported protocol version " + in.getByte(start + 2));
        }
        Object frame = super.decode(ctx, in);
        if (frame != null || !in.isReadable()) {
            partial = false;
        } else if (!partial) {
            partial = true;
            partialSince = nanoTime.getAsLong();
        } else if (nanoTime.getAsLong() - partialSince > wholeWithinNanos) {
            throw new ProtocolException("a frame did not arrive whole within " + wholeWithinNanos / 1_000_000 + " ms");
        }
        return frame;
    }
}
