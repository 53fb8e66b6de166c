package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicaGroupConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Configurations for tests: loopback, free ports, and short election timeouts for single-replica groups. */
final class TestGroups {

    static final UUID GROUP = ReplicaGroupConfig.groupIdOf("test");

    private TestGroups() {}

    /**
     * A loopback port free now, below Linux's ephemeral range (32768 and up), where no outgoing connection's source
     * port takes it before the replica binds it.
     */
    static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = 10_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(22_000);
            try (ServerSocket s = new ServerSocket(p, 0, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException taken) {
                // in use: another one
            }
        }
        throw new UncheckedIOException(new IOException("no free port found below 32000"));
    }

    /**
     * One replica alone. A single replica waits one election timeout before it elects itself, so tests use a short
     * one; nothing else competes for leadership.
     */
    static ReplicaGroupConfig.Builder single(Path dir, int port) {
        return ReplicaGroupConfig.builder(GROUP, "n1", dir)
                .singlePeer("127.0.0.1", port)
                .electionTimeout(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    /** The peers of an {@code n}-replica group on loopback, with the reference timeouts (1 s / 2 s). */
    static List<ReplicaGroupConfig.Peer> peers(int n) {
        List<ReplicaGroupConfig.Peer> peers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            peers.add(new ReplicaGroupConfig.Peer("n" + i, "127.0.0.1", freePort()));
        }
        return peers;
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
