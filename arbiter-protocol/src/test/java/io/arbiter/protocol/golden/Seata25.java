package io.arbiter.protocol.golden;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.apache.seata.core.protocol.AbstractMessage;
import org.apache.seata.core.protocol.RpcMessage;
import org.apache.seata.core.rpc.netty.v1.ProtocolDecoderV1;
import org.apache.seata.core.rpc.netty.v1.ProtocolEncoderV1;
import org.apache.seata.serializer.seata.SeataSerializer;

/** The real Seata 2.5.0 serializer and v1 frame encoder/decoder, used as the test oracle. */
final class Seata25 {

    private static final SeataSerializer SERIALIZER = new SeataSerializer((byte) 1);

    private Seata25() {}

    /** Seata's body bytes: i16 typeCode + payload. */
    static byte[] serialize(AbstractMessage m) {
        return SERIALIZER.serialize(m);
    }

    static Object deserialize(byte[] body) {
        return SERIALIZER.deserialize(body);
    }

    static byte[] encodeFrame(RpcMessage msg) {
        ByteBuf out = Unpooled.buffer();
        new ProtocolEncoderV1().encode(msg, out);
        return ByteBufUtil.getBytes(out);
    }

    static RpcMessage decodeFrame(byte[] frame) {
        return new ProtocolDecoderV1().decodeFrame(Unpooled.wrappedBuffer(frame));
    }
}
