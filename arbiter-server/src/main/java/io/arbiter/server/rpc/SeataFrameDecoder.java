package io.arbiter.server.rpc;

import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.frame.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Cuts the stream into whole v1 frames (length at offset 3, 4 bytes, adjustment −7, at most 8 MiB), checking the
 * magic {@code 0xDADA} and version byte first, so a connection that sends garbage is closed at once instead of
 * waiting for as many bytes as the garbage "length" claims.
 *
 * <p>Threading: one instance per channel, on its event loop.
 */
public final class SeataFrameDecoder extends LengthFieldBasedFrameDecoder {

    public SeataFrameDecoder() {
        super(
                FrameCodec.MAX_FRAME_LENGTH,
                FrameCodec.LENGTH_FIELD_OFFSET,
                FrameCodec.LENGTH_FIELD_LENGTH,
                FrameCodec.LENGTH_ADJUSTMENT,
                FrameCodec.INITIAL_BYTES_TO_STRIP);
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
        return super.decode(ctx, in);
    }
}
