package io.arbiter.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.codec.SeataCodec;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of the parsers of what a client sends: whole frames and message bodies, for
 * every client line. A decoder may only refuse an input with {@link ProtocolException}; what it accepts must encode
 * again. The first input byte picks the client version, the rest is the frame or body.
 *
 * <p>In the default test run each fuzz test runs its regression inputs: the files in
 * {@code src/test/resources/io/arbiter/protocol/fuzz/DecoderFuzzTestInputs/<method>/} — frames and bodies written by
 * the real Seata 2.5 encoder ({@link FuzzSeeds}) and every input a fuzzing run found to fail. {@code bin/fuzz} fuzzes.
 */
class DecoderFuzzTest {
    private static final ClientVersion[] VERSIONS = {
        ClientVersion.LATEST, ClientVersion.parse("2.0.0"), ClientVersion.parse("1.8.0"), ClientVersion.parse("1.4.2")
    };

    static ClientVersion version(byte[] input) {
        return input.length == 0 ? ClientVersion.LATEST : VERSIONS[(input[0] & 0xFF) % VERSIONS.length];
    }

    static byte[] rest(byte[] input) {
        return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    }

    @FuzzTest(maxDuration = "5m")
    void frames(byte[] input) {
        ClientVersion v = version(input);
        Frame frame;
        try {
            frame = FrameCodec.decode(Unpooled.wrappedBuffer(rest(input)), v);
        } catch (ProtocolException refused) {
            return;
        }
        ByteBuf out = Unpooled.buffer();
        try {
            FrameCodec.encode(frame, out, v);
        } catch (ProtocolException refused) {
            // a message this client version cannot carry back: refused the same typed way
        } finally {
            out.release();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void bodies(byte[] input) {
        ClientVersion v = version(input);
        SeataMessage message;
        try {
            message = SeataCodec.decode(Unpooled.wrappedBuffer(rest(input)), v);
        } catch (ProtocolException refused) {
            return;
        }
        ByteBuf out = Unpooled.buffer();
        try {
            SeataCodec.encode(message, out, v);
        } catch (ProtocolException refused) {
            // as above
        } finally {
            out.release();
        }
    }
}
