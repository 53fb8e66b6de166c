package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.RegisterTMResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input closes only the connection that sent it; a registered client on another connection keeps being
 * served throughout.
 */
class BadInputTest {
    @TempDir
    static Path dataDir;

    static ArbiterNode node;
    static RawSeataClient bystander;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
        bystander = new RawSeataClient(node.port());
        assertThat(bystander.call(new RegisterTMRequest("2.5.0", "app", "grp", null)))
                .isEqualTo(new RegisterTMResponse(true, "2.5.0"));
    }

    @AfterAll
    static void stop() throws Exception {
        bystander.close();
        node.close();
    }

    private static void assertBystanderServed() throws Exception {
        GlobalBeginResponse r = (GlobalBeginResponse) bystander.call(new GlobalBeginRequest(10_000, "still-here"));
        assertThat(r.resultCode()).isEqualTo(ResultCode.Success);
    }

    private static void assertClosed(byte[] bytes) throws Exception {
        try (RawSeataClient c = new RawSeataClient(node.port())) {
            c.sendBytes(bytes);
            assertThat(c.closedByServer())
                    .as("connection closed after %s", HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 40)))
                    .isTrue();
        }
        assertBystanderServed();
    }

    private static byte[] encode(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        FrameCodec.encode(frame, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    @Test
    void garbageBytes() throws Exception {
        assertClosed("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
    }

    @Test
    void garbageClaimingASmallLengthIsClosedWithoutWaitingForIt() throws Exception {
        assertClosed(new byte[] {1, 2, 3, 0, 0, 0, 100});
    }

    @Test
    void wrongMagic() throws Exception {
        byte[] frame = encode(Frame.ping(1));
        frame[0] = (byte) 0xCA;
        assertClosed(frame);
    }

    @Test
    void headerWithZeroLengthAsLeftByAFailedRmEncoder() throws Exception {
        assertClosed(HexFormat.of().parseHex("dada0100000000000001010000000005"));
    }

    @Test
    void oversizedFrame() throws Exception {
        assertClosed(HexFormat.of().parseHex("dada01" + "00900000" + "0010000100000001"));
    }

    @Test
    void unknownTypeCode() throws Exception {
        assertClosed(HexFormat.of().parseHex("dada01" + "00000014" + "0010" + "000100" + "00000001" + "7fff0000"));
    }

    @Test
    void truncatedBody() throws Exception {
        // a GlobalBeginRequest whose name length claims more bytes than the frame holds
        assertClosed(HexFormat.of()
                .parseHex(
                        "dada01" + "00000019" + "0010" + "000100" + "00000001" + "0001" + "0000ea60" + "0005" + "41"));
    }

    @Test
    void registrationWithoutApplicationId() throws Exception {
        assertClosed(encode(Frame.request(1, new RegisterTMRequest("2.0.0", null, "grp", null))));
    }

    @Test
    void fuzzRandomAndMutatedFramesNeverHurtOtherClients() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] valid = encode(Frame.request(5, new GlobalBeginRequest(60_000, "fuzz")));
        byte[] register = encode(Frame.request(4, new RegisterTMRequest("2.0.0", "fuzz", "grp", null)));
        for (int i = 0; i < 200; i++) {
            byte[] payload;
            if (random.nextBoolean()) {
                payload = new byte[1 + random.nextInt(64)];
                random.nextBytes(payload);
            } else {
                payload = valid.clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
                }
            }
            try (RawSeataClient c = new RawSeataClient(node.port())) {
                c.sendBytes(register);
                c.sendBytes(payload);
            }
        }
        assertBystanderServed();
        assertThat(node.httpPort()).as("seed %d", seed).isPositive();
    }
}
