package io.arbiter.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.server.ArbiterNode;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.config.ConfigLoader;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A probe in the test JVM against a real Arbiter node's Seata port, and against a port that never answers. */
class PeerProbeTest {
    private static final ClusterMember SELF = new ClusterMember("self", "127.0.0.1", 1, 2, 3);

    private final NioEventLoopGroup loop = new NioEventLoopGroup(1);
    private final PeerLinks links = new PeerLinks(loop, new OutboundCalls(), SELF.id());
    private final AtomicInteger changes = new AtomicInteger();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        links.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private PeerProbe probe(ClusterMember peer) {
        PeerProbe probe = new PeerProbe(links, () -> List.of(SELF, peer), SELF.id(), loop.next());
        probe.onChange(changes::incrementAndGet);
        probe.start();
        closing.add(probe);
        return probe;
    }

    private ArbiterNode node(int rpc, int http, int raft) throws Exception {
        return ArbiterNode.start(ConfigLoader.load(Map.of(
                "arbiter.host",
                "127.0.0.1",
                "arbiter.port",
                String.valueOf(rpc),
                "arbiter.http-port",
                String.valueOf(http),
                "arbiter.raft-port",
                String.valueOf(raft),
                "arbiter.data-dir",
                Files.createDirectories(dir.resolve("node")).toString())));
    }

    @Test
    void aStoppedNodeIsUnreachableAtOnceAndReachableAgainAfterItsRestart() throws Exception {
        int rpc = freePort();
        int http = freePort();
        int raft = freePort();
        ClusterMember peer = new ClusterMember("peer", "127.0.0.1", rpc, http, raft);
        ArbiterNode node = node(rpc, http, raft);
        PeerProbe probe = probe(peer);
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> PeerLinks.answering(links.current(peer.id()), PeerProbe.SILENCE));
        assertThat(probe.reachable(peer.id())).isTrue();
        Thread.sleep(PeerProbe.SILENCE.toMillis() + 500); // idle link: pings keep it answering
        assertThat(probe.reachable(peer.id())).isTrue();
        assertThat(changes).hasValue(0);

        long stoppedAt = System.nanoTime();
        node.close();
        await().atMost(5, TimeUnit.SECONDS).until(() -> !probe.reachable(peer.id()));
        // seen from the closed link, not from PeerProbe.SILENCE (3 s) of silence; close() itself is counted in, and
        // takes longer under a loaded machine
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(PeerProbe.SILENCE.minusMillis(500));
        assertThat(changes).hasValue(1);
        Thread.sleep(1000); // failed reconnects every probe change nothing
        assertThat(probe.reachable(peer.id())).isFalse();
        assertThat(changes).hasValue(1);

        closing.add(node(rpc, http, raft));
        await().atMost(10, TimeUnit.SECONDS).until(() -> probe.reachable(peer.id()));
        assertThat(changes).hasValue(2);
    }

    @Test
    void aPortThatAcceptsButNeverAnswersIsUnreachable() throws Exception {
        try (ServerSocket mute = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(mute.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ClusterMember peer = new ClusterMember("mute", "127.0.0.1", mute.getLocalPort(), 1, 2);
            PeerProbe probe = probe(peer);

            await().atMost(10, TimeUnit.SECONDS).until(() -> !probe.reachable(peer.id()));
            assertThat(changes).hasValue(1);
        }
    }

    @Test
    void aMemberNeverTriedCountsAsReachable() {
        ClusterMember peer = new ClusterMember("unknown", "127.0.0.1", 9, 1, 2);
        PeerProbe probe = new PeerProbe(links, () -> List.of(SELF, peer), SELF.id(), loop.next());
        assertThat(probe.reachable(peer.id())).isTrue();
        assertThat(probe.reachable(SELF.id())).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
