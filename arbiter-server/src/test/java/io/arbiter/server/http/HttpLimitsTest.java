package io.arbiter.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.server.rpc.ConnectionLimit;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port's limits over raw sockets: a half-sent request gets 408 and the connection closes, an idle
 * connection is closed, oversized bodies and header blocks are refused, and a well-behaved keep-alive client is
 * served request after request.
 */
class HttpLimitsTest {
    private static final EventLoopGroup BOSS = new NioEventLoopGroup(1);
    private static final EventLoopGroup WORKERS = new NioEventLoopGroup(1);
    private static HttpApiServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new HttpApiServer(
                () -> new HttpApiServer.HealthReport(true, "leader", 0, 0, List.of()),
                List.of(),
                Duration.ofMillis(600),
                Duration.ofMillis(1500));
        server.start("127.0.0.1", 0, BOSS, WORKERS);
    }

    @AfterAll
    static void stop() {
        server.close();
        BOSS.shutdownGracefully();
        WORKERS.shutdownGracefully();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Everything the server sends until it closes the connection. */
    private static String readToClose(Socket s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
            all.write(buf, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void aHalfSentRequestGets408AndTheConnectionCloses() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            send(s, "GET /health HTTP/1.1\r\nHost: x\r\n"); // no blank line: the headers never end
            String answer = readToClose(s);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive whole within 600 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(1200), Duration.ofSeconds(6));
        }
    }

    @Test
    void oversizedBodiesAndHeadersAreRefused() throws Exception {
        try (Socket s = connect()) {
            send(
                    s,
                    "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: " + (HttpApiServer.MAX_BODY_BYTES + 1)
                            + "\r\n\r\n");
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.UTF_8);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        try (Socket s = connect()) {
            send(
                    s,
                    "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(HttpApiServer.MAX_HEADER_BYTES + 10)
                            + "\r\n\r\n");
            String answer = readToClose(s);
            assertThat(answer).matches("(?s)HTTP/1.1 4\\d\\d.*");
        }
    }

    @Test
    void aKeepAliveClientIsServedRequestAfterRequest() throws Exception {
        try (Socket s = connect()) {
            for (int i = 0; i < 3; i++) {
                send(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                byte[] head = s.getInputStream().readNBytes(12);
                assertThat(new String(head, StandardCharsets.UTF_8)).isEqualTo("HTTP/1.1 200");
                drainResponse(s);
                Thread.sleep(400); // pauses shorter than the idle timeout keep the connection
            }
        }
    }

    /** Reads the rest of one response (headers with Content-Length, then the body). */
    private static void drainResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed mid-response");
            }
            headers.append((char) c);
        }
        String lower = headers.toString().toLowerCase();
        int at = lower.indexOf("content-length:");
        assertThat(at).as("a Content-Length header in %s", headers).isNotNegative();
        int length = Integer.parseInt(
                lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        assertThat(in.readNBytes(length)).hasSize(length);
    }

    @Test
    void noTimeoutWhileTheClientReadsSlowly() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(900); // longer than the request timeout: the request was whole, nothing expires
            assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.UTF_8))
                    .isEqualTo("HTTP/1.1 200");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer", e);
        }
    }

    @Test
    void pastTheConnectionLimitANewConnectionIsClosedAtOnce() throws Exception {
        HttpApiServer limited = new HttpApiServer(
                () -> new HttpApiServer.HealthReport(true, "leader", 0, 0, List.of()),
                List.of(),
                new ConnectionLimit("HTTP", "arbiter.http.max-connections", 3));
        limited.start("127.0.0.1", 0, BOSS, WORKERS);
        List<Socket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new Socket("127.0.0.1", limited.port()));
            }
            try (Socket fourth = new Socket("127.0.0.1", limited.port())) {
                fourth.setSoTimeout(5_000);
                assertThat(fourth.getInputStream().read())
                        .as("closed on accept")
                        .isEqualTo(-1);
            }
            held.remove(0).close();
            Thread.sleep(200);
            try (Socket again = new Socket("127.0.0.1", limited.port())) {
                again.setSoTimeout(5_000);
                send(again, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(readToClose(again)).startsWith("HTTP/1.1 200");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
            limited.close();
        }
    }
}
