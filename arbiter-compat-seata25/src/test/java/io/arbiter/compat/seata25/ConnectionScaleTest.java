package io.arbiter.compat.seata25;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.ha.RawTm;
import io.arbiter.compat.server.ArbiterProcess;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One node in its own process (-Xmx384m, as every compat node) holds 5,000 registered Seata client connections
 * (pinging every 4 s, as Seata clients do every 5 s) and 10,000 parked metadata watches at once: every connection
 * registers, every watch stays parked until its own timeout and is then answered 304, the node keeps serving
 * transactions and {@code /health} meanwhile, its heap after a full GC stays bounded, and it returns to its
 * baseline once the clients go. Figures go to {@code target/connection-scale.md} (and docs/RELIABILITY.md).
 */
class ConnectionScaleTest {
    private static final int CONNECTIONS = 5_000;
    private static final int WATCHES = 10_000;
    private static final int WATCH_TIMEOUT_MS =
            15_000; // every check "while held" is done well within it (they take about 3 s)
    private static final long MIB = 1024 * 1024;

    private final List<SocketChannel> seata = Collections.synchronizedList(new ArrayList<>());
    private final List<SocketChannel> watches = new ArrayList<>();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    private ArbiterProcess node;

    @AfterEach
    void cleanUp() throws Exception {
        pinger.shutdownNow();
        closeAll(seata);
        closeAll(watches);
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fiveThousandConnectionsAndTenThousandWatchesOnOneNode() throws Exception {
        node = ArbiterProcess.start("scale", Map.of());
        HttpClient http = HttpClient.newHttpClient();
        long baseline = heapAfterGc(http);

        long connectStart = System.nanoTime();
        openSeataConnections();
        long connectMs = (System.nanoTime() - connectStart) / 1_000_000;
        pinger.scheduleWithFixedDelay(this::pingAll, 4, 4, TimeUnit.SECONDS);

        long term = metadataTerm(http);
        long watchStart = System.nanoTime();
        for (int i = 0; i < WATCHES; i++) {
            watches.add(watch(term));
        }
        long watchMs = (System.nanoTime() - watchStart) / 1_000_000;

        // everything held: the node serves, no watch has been answered, the heap is bounded
        long beginStart = System.nanoTime();
        try (RawTm tm = new RawTm(node.host(), node.port(), Duration.ofSeconds(10))) {
            String xid = tm.begin(60_000, "scale");
            assertThat(tm.commit(xid)).isEqualTo("Committed");
        }
        long beginMs = (System.nanoTime() - beginStart) / 1_000_000;
        assertThat(http.send(get("/health"), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        long held = heapAfterGc(http);
        long rss = node.rssBytes();
        assertThat(openConnections(http)).as("open Seata connections").isGreaterThanOrEqualTo(CONNECTIONS);
        long answeredEarly =
                watches.stream().filter(ConnectionScaleTest::hasAnswer).count();
        assertThat(answeredEarly).as("watches answered before their timeout").isZero();

        // each watch is answered 304 at its timeout
        Thread.sleep(Math.max(0, WATCH_TIMEOUT_MS + 5_000 - (System.nanoTime() - watchStart) / 1_000_000));
        int notModified = 0;
        for (SocketChannel w : watches) {
            if (statusLine(w).contains(" 304 ")) {
                notModified++;
            }
        }
        assertThat(notModified).as("watches answered 304").isEqualTo(WATCHES);
        assertThat(node.isAlive()).isTrue();

        pinger.shutdownNow();
        closeAll(seata);
        closeAll(watches);
        Thread.sleep(2_000);
        long after = heapAfterGc(http);

        double perClientKiB = (held - baseline) / 1024.0 / (CONNECTIONS + WATCHES);
        String figures = String.format(
                java.util.Locale.ROOT,
                "| connections | watches | connect + register | watches sent | begin+commit while held | heap after GC"
                        + " (baseline / held / after) | per client | node RSS held |%n"
                        + "|---|---|---|---|---|---|---|---|%n"
                        + "| %,d | %,d | %,d ms | %,d ms | %d ms | %d / %d / %d MiB | %.1f KiB | %d MiB |%n",
                CONNECTIONS,
                WATCHES,
                connectMs,
                watchMs,
                beginMs,
                baseline / MIB,
                held / MIB,
                after / MIB,
                perClientKiB,
                rss / MIB);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "connection-scale.md"), figures);
        System.out.println(figures);

        assertThat(held - baseline).as("heap held by 15,000 clients").isLessThan(150 * MIB);
        assertThat(after - baseline).as("heap left after they went").isLessThan(24 * MIB);
    }

    private void openSeataConnections() throws Exception {
        byte[] register = encode(Frame.request(1, new RegisterTMRequest("2.5.0", "scale-app", "grp", null)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < CONNECTIONS / 8; i++) {
                        SocketChannel ch = SocketChannel.open(new InetSocketAddress(node.host(), node.port()));
                        ch.write(ByteBuffer.wrap(register));
                        assertThat(readFrame(ch).body().toString()).contains("identified=true");
                        seata.add(ch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seata).hasSize(CONNECTIONS);
    }

    private void pingAll() {
        int id = 2;
        synchronized (seata) {
            for (SocketChannel ch : seata) {
                try {
                    ch.write(ByteBuffer.wrap(encode(Frame.ping(id++))));
                    drain(ch);
                } catch (IOException e) {
                    // asserted through the node's connection count
                }
            }
        }
    }

    /** Reads the pongs waiting on a connection without blocking, so its receive buffer never fills. */
    private static void drain(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        try {
            ByteBuffer sink = ByteBuffer.allocate(4096);
            while (ch.read(sink) > 0) {
                sink.clear();
            }
        } finally {
            ch.configureBlocking(true);
        }
    }

    private SocketChannel watch(long term) throws IOException {
        String body = "default=" + term;
        String request = "POST /metadata/v1/watch?timeout=" + WATCH_TIMEOUT_MS + " HTTP/1.1\r\n"
                + "Host: " + node.host() + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        SocketChannel ch = SocketChannel.open(new InetSocketAddress(node.host(), node.httpPort()));
        ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        return ch;
    }

    private static boolean hasAnswer(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            ByteBuffer one = ByteBuffer.allocate(1);
            int n = ch.read(one);
            ch.configureBlocking(true);
            return n != 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** The response's status line, or what arrived of it within 5 s. */
    private static String statusLine(SocketChannel ch) throws Exception {
        ch.configureBlocking(false);
        ByteBuffer buf = ByteBuffer.allocate(256);
        StringBuilder line = new StringBuilder();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (line.indexOf("\r\n") < 0 && System.nanoTime() < deadline) {
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            if (n == 0) {
                Thread.sleep(10);
                continue;
            }
            buf.flip();
            line.append(StandardCharsets.US_ASCII.decode(buf));
            buf.clear();
        }
        int end = line.indexOf("\r\n");
        return end < 0 ? line.toString() : line.substring(0, end);
    }

    private static Frame readFrame(SocketChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(7);
        readFully(ch, head);
        int length = head.getInt(3);
        ByteBuffer all = ByteBuffer.allocate(length);
        all.put(head.array());
        readFully(ch, all);
        return FrameCodec.decode(Unpooled.wrappedBuffer(all.array()));
    }

    private static void readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new IOException("closed by the node");
            }
        }
    }

    private static byte[] encode(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        FrameCodec.encode(frame, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + node.host() + ":" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private long metadataTerm(HttpClient http) throws Exception {
        String body = http.send(get("/metadata/v1/cluster?group=default"), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("\"term\"\\s*:\\s*(\\d+)").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The node's heap in use right after a full GC (jcmd), from its own /metrics. */
    private long heapAfterGc(HttpClient http) throws Exception {
        Process gc = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(node.pid()),
                        "GC.run")
                .redirectErrorStream(true)
                .start();
        assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gc.exitValue())
                .as(new String(gc.getInputStream().readAllBytes()))
                .isZero();
        return (long) metric(http, "jvm_memory_used_bytes\\{area=\"heap\"[^}]*}");
    }

    private int openConnections(HttpClient http) throws Exception {
        return (int) metric(http, "arbiter_connections_open");
    }

    /** The sum of every sample of the series whose name and labels match {@code series}. */
    private double metric(HttpClient http, String series) throws Exception {
        String text =
                http.send(get("/metrics"), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + series + "\\s+(\\S+)$").matcher(text);
        double sum = 0;
        boolean any = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            any = true;
        }
        assertThat(any).as("series %s in /metrics", series).isTrue();
        return sum;
    }

    private static void closeAll(List<SocketChannel> channels) {
        synchronized (channels) {
            for (SocketChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            channels.clear();
        }
    }
}
