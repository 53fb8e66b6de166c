package io.arbiter.server.rpc;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;

/**
 * Whole v1 frames (as cut by the length-field decoder) to {@link Frame}s and back, using the registered client's
 * version for the version-dependent codes. A malformed frame raises a {@code DecoderException}, which closes the
 * channel.
 *
 * <p>Threading: one instance per channel, on its event loop.
 */
public final class FrameCodecHandler extends MessageToMessageCodec<ByteBuf, Frame> {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        out.add(FrameCodec.decode(in, versionOf(ctx)));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        ByteBuf buf = ctx.alloc().buffer(64);
        try {
            FrameCodec.encode(frame, buf, versionOf(ctx));
            out.add(buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private static ClientVersion versionOf(ChannelHandlerContext ctx) {
        ClientSession session = ctx.channel().attr(SeataChannelHandler.SESSION).get();
        return session == null ? ClientVersion.LATEST : session.version();
    }
}
