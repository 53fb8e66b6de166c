package io.arbiter.protocol.golden;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.codec.SeataCodec;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Hex and encode helpers shared by the tests. */
public final class Hex {

    private Hex() {}

    /** Parses hex, ignoring whitespace and '|' separators. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    public static byte[] encode(SeataMessage m, ClientVersion v) {
        ByteBuf out = Unpooled.buffer();
        SeataCodec.encode(m, out, v);
        return ByteBufUtil.getBytes(out);
    }

    public static byte[] encode(SeataMessage m) {
        return encode(m, ClientVersion.LATEST);
    }

    public static SeataMessage decode(byte[] body, ClientVersion v) {
        return SeataCodec.decode(Unpooled.wrappedBuffer(body), v);
    }

    public static SeataMessage decode(byte[] body) {
        return decode(body, ClientVersion.LATEST);
    }

    public static byte[] encodeFrame(Frame f) {
        ByteBuf out = Unpooled.buffer();
        FrameCodec.encode(f, out, ClientVersion.LATEST);
        return ByteBufUtil.getBytes(out);
    }

    public static Frame decodeFrame(byte[] frame) {
        return FrameCodec.decode(Unpooled.wrappedBuffer(frame), ClientVersion.LATEST);
    }
}
