package io.arbiter.protocol.frame;

import static org.assertj.core.api.Assertions.fail;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.codec.SeataCodec;
import io.arbiter.protocol.compress.Compressor;
import io.arbiter.protocol.golden.Hex;
import io.arbiter.protocol.golden.Samples;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated inputs (no jqwik on this module's classpath): decoding either succeeds or throws
 * {@link ProtocolException}; nothing else may escape. Whatever decodes successfully must re-encode without any
 * exception other than ProtocolException either.
 */
class RandomInputTest {

    private static final long SEED = 0x5EA7A_2024L;
    private static final int[] TYPE_CODES = {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22, 59, 60, 101, 102, 103, 104, 111, 120, 121
    };
    private static final ClientVersion[] VERSIONS = {
        ClientVersion.LATEST, ClientVersion.parse("1.8.0"), ClientVersion.parse("1.4.2"), ClientVersion.parse("2.2.0")
    };

    private static void check(byte[] input, String what, Consumer<byte[]> action) {
        try {
            action.accept(input);
        } catch (ProtocolException expected) {
            // fine
        } catch (Throwable t) {
            fail(what + " threw " + t + " for input " + Hex.hex(input), t);
        }
    }

    private static void decodeBody(byte[] body, ClientVersion v) {
        SeataMessage m = SeataCodec.decode(Unpooled.wrappedBuffer(body), v);
        SeataCodec.encode(m, Unpooled.buffer(), v);
    }

    private static void decodeFrame(byte[] frame, ClientVersion v) {
        Frame f = FrameCodec.decode(Unpooled.wrappedBuffer(frame), v);
        FrameCodec.encode(f, Unpooled.buffer(), v);
    }

    @Test
    void randomBodies() {
        Random random = new Random(SEED);
        for (int i = 0; i < 50_000; i++) {
            byte[] body = new byte[random.nextInt(80)];
            random.nextBytes(body);
            if (body.length >= 2 && random.nextBoolean()) {
                int typeCode = TYPE_CODES[random.nextInt(TYPE_CODES.length)];
                body[0] = (byte) (typeCode >> 8);
                body[1] = (byte) typeCode;
            }
            ClientVersion v = VERSIONS[random.nextInt(VERSIONS.length)];
            check(body, "SeataCodec.decode", b -> decodeBody(b, v));
        }
    }

    @Test
    void mutatedBodies() {
        Random random = new Random(SEED + 1);
        List<byte[]> seeds = new ArrayList<>();
        for (SeataMessage m : Samples.all()) {
            seeds.add(Hex.encode(m));
        }
        for (int i = 0; i < 60_000; i++) {
            byte[] body = mutate(seeds.get(random.nextInt(seeds.size())), random);
            ClientVersion v = VERSIONS[random.nextInt(VERSIONS.length)];
            check(body, "SeataCodec.decode", b -> decodeBody(b, v));
        }
    }

    @Test
    void randomFrames() {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < 50_000; i++) {
            byte[] frame = new byte[random.nextInt(64)];
            random.nextBytes(frame);
            if (frame.length >= 16 && random.nextInt(4) > 0) {
                frame[0] = (byte) 0xDA;
                frame[1] = (byte) 0xDA;
                frame[2] = 1;
                int full = random.nextInt(4) == 0 ? random.nextInt() : frame.length - random.nextInt(3);
                ByteBuf header = Unpooled.wrappedBuffer(frame);
                header.setInt(3, full);
                header.setShort(7, 16 + random.nextInt(Math.max(1, frame.length - 15)));
                frame[10] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : 1);
                frame[11] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : random.nextInt(2));
            }
            ClientVersion v = VERSIONS[random.nextInt(VERSIONS.length)];
            check(frame, "FrameCodec.decode", b -> decodeFrame(b, v));
        }
    }

    @Test
    void mutatedFrames() {
        Random random = new Random(SEED + 3);
        List<byte[]> seeds = new ArrayList<>();
        int id = 1;
        for (SeataMessage m : Samples.all()) {
            seeds.add(Hex.encodeFrame(Frame.request(id++, m)));
            seeds.add(Hex.encodeFrame(new Frame(
                    MessageKind.RESPONSE,
                    FrameCodec.CODEC_SEATA,
                    Compressor.GZIP.code(),
                    id++,
                    java.util.Map.of("k", "v"),
                    m)));
        }
        seeds.add(Hex.encodeFrame(Frame.ping(1)));
        for (int i = 0; i < 60_000; i++) {
            byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
            if (frame.length >= 7 && random.nextBoolean()) {
                Unpooled.wrappedBuffer(frame).setInt(3, frame.length); // keep the framing consistent
            }
            ClientVersion v = VERSIONS[random.nextInt(VERSIONS.length)];
            check(frame, "FrameCodec.decode", b -> decodeFrame(b, v));
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations && b.length > 0; i++) {
            switch (random.nextInt(5)) {
                case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 1 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length));
                case 3 -> {
                    int at = random.nextInt(b.length);
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
                default -> {
                    int at = random.nextInt(b.length);
                    b[at] = random.nextBoolean() ? (byte) 0xFF : (byte) 0x7F;
                }
            }
        }
        return b;
    }
}
