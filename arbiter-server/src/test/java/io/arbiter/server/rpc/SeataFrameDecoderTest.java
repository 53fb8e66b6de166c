package io.arbiter.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A frame must arrive whole within its deadline from its first byte, however the bytes trickle in. */
class SeataFrameDecoderTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new SeataFrameDecoder(Duration.ofSeconds(10), now::get));

    private static byte[] frame(int id) {
        ByteBuf buf = Unpooled.buffer();
        FrameCodec.encode(Frame.request(id, new GlobalBeginRequest(60_000, "t" + id)), buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    private void send(byte[] bytes, int from, int to) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, to - from));
    }

    @Test
    void aFrameTrickledWithinTheDeadlineIsDecoded() {
        byte[] f = frame(1);
        for (int i = 0; i < f.length; i++) {
            send(f, i, i + 1);
            now.addAndGet(9 * SECOND / f.length);
        }
        ByteBuf decoded = channel.readInbound();
        assertThat(decoded.readableBytes()).isEqualTo(f.length);
        decoded.release();
    }

    @Test
    void aFrameStillPartialPastTheDeadlineIsRefusedOnTheNextBytes() {
        byte[] f = frame(1);
        send(f, 0, 10);
        now.addAndGet(5 * SECOND);
        send(f, 10, 12);
        now.addAndGet(6 * SECOND);
        assertThatThrownBy(() -> send(f, 12, 13))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(ProtocolException.class)
                .hasMessageContaining("did not arrive whole within 10000 ms");
    }

    @Test
    void theDeadlineStartsAtEachFramesFirstByte() {
        byte[] one = frame(1);
        byte[] two = frame(2);
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        // the first frame and the start of the second arrive together; the first took 8 s, the second takes 8 s
        send(both, 0, 5);
        now.addAndGet(8 * SECOND);
        send(both, 5, one.length + 5);
        ByteBuf first = channel.readInbound();
        assertThat(first.readableBytes()).isEqualTo(one.length);
        first.release();
        now.addAndGet(8 * SECOND);
        send(both, one.length + 5, both.length);
        ByteBuf second = channel.readInbound();
        assertThat(second.readableBytes()).isEqualTo(two.length);
        second.release();
    }
}
