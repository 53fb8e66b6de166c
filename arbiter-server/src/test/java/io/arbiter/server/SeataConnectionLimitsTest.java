package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Seata port's connection limits on a real node: a client that sends half a frame and stops, or trickles one, is
 * closed after the read-idle time (here 2 s); past {@code arbiter.max-connections} a new connection is closed at
 * once, and taken again once one closes. Other clients are served meanwhile.
 */
class SeataConnectionLimitsTest {
    private static final int READ_IDLE_MS = 2_000;
    private static final int MAX_CONNECTIONS = 6;

    @TempDir
    static Path dataDir;

    static ArbiterNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(
                dataDir,
                Map.of(
                        "arbiter.read-idle-ms",
                        String.valueOf(READ_IDLE_MS),
                        "arbiter.max-connections",
                        String.valueOf(MAX_CONNECTIONS)));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    /** Another client is served (a new one: with a 2 s read-idle time an idle one is closed, as it should be). */
    private static void assertBystanderServed() throws Exception {
        try (RawSeataClient bystander = RawSeataClient.tm(node.port())) {
            GlobalBeginResponse r = (GlobalBeginResponse) bystander.call(new GlobalBeginRequest(10_000, "still-here"));
            assertThat(r.resultCode()).isEqualTo(ResultCode.Success);
        }
    }

    private static byte[] registration() {
        ByteBuf buf = Unpooled.buffer();
        FrameCodec.encode(Frame.request(1, new RegisterTMRequest("2.5.0", "app", "grp", null)), buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    @Test
    void halfAFrameThenSilenceIsClosedAfterTheReadIdleTime() throws Exception {
        byte[] frame = registration();
        try (RawSeataClient c = new RawSeataClient(node.port())) {
            long start = System.nanoTime();
            c.sendBytes(java.util.Arrays.copyOf(frame, frame.length / 2));
            assertThat(c.closedByServer()).isTrue();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMs).isBetween((long) READ_IDLE_MS - 200, (long) READ_IDLE_MS + 3_000);
        }
        assertBystanderServed();
    }

    @Test
    void aFrameTrickledSlowerThanTheDeadlineIsClosed() throws Exception {
        byte[] frame = registration();
        try (RawSeataClient c = new RawSeataClient(node.port())) {
            long start = System.nanoTime();
            boolean closed = false;
            // one byte every 400 ms: never idle for the read-idle time, but the frame would take ~20 s
            for (int i = 0; i < frame.length - 1 && !closed; i++) {
                try {
                    c.sendBytes(new byte[] {frame[i]});
                } catch (java.io.IOException e) {
                    closed = true; // the server closed it
                    break;
                }
                Thread.sleep(400);
                closed = System.nanoTime() - start > 8_000_000_000L;
            }
            assertThat(c.closedByServer()).as("closed by the server").isTrue();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMs)
                    .as("closed within the deadline and one more byte")
                    .isLessThan(READ_IDLE_MS + 1_500);
        }
        assertBystanderServed();
    }

    @Test
    void pastTheLimitANewConnectionIsClosedAtOnceAndTakenAgainWhenOneCloses() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            RawSeataClient refused = null;
            for (int i = 0; i < MAX_CONNECTIONS + 2 && refused == null; i++) {
                RawSeataClient c = new RawSeataClient(node.port());
                if (c.closedWithin(100)) {
                    refused = c;
                } else {
                    held.add(c.socket());
                }
            }
            assertThat(refused).as("a connection past the limit is closed").isNotNull();
            refused.close();
            assertThat(held).hasSize(MAX_CONNECTIONS);

            held.remove(0).close();
            Thread.sleep(200);
            try (RawSeataClient again = RawSeataClient.tm(node.port())) {
                assertThat(((GlobalBeginResponse) again.call(new GlobalBeginRequest(10_000, "again"))).resultCode())
                        .isEqualTo(ResultCode.Success);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
