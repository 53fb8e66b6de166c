package io.arbiter.compat.ha;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every node on 127.0.0.1, on ports that follow Seata's convention: node k gets HTTP {@code B+k}, RPC
 * {@code B+1000+k} and Raft {@code B+2000+k} for a random base {@code B} below the ephemeral port range, checked
 * free at creation. It cannot cut nodes off from each other (they share one address): use
 * {@link NamespaceNetwork} for that.
 */
public final class LoopbackNetwork implements ClusterNetwork {
    private static final String HOST = "127.0.0.1";
    private final int size;
    private final int base;

    private LoopbackNetwork(int size, int base) {
        this.size = size;
        this.base = base;
    }

    /** A network for {@code size} nodes whose 3 × size ports are free right now. */
    public static LoopbackNetwork create(int size) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 10_000 + ThreadLocalRandom.current().nextInt(17_000) / 10 * 10;
            if (allFree(base, size)) {
                return new LoopbackNetwork(size, base);
            }
        }
        throw new IllegalStateException("found no free block of ports for " + size + " nodes below 30000");
    }

    private static boolean allFree(int base, int size) {
        for (int k = 1; k <= size; k++) {
            for (int port : new int[] {base + k, base + 1000 + k, base + 2000 + k}) {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(false);
                    s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String host(int k) {
        return HOST;
    }

    @Override
    public int raftPort(int k) {
        return base + 2000 + k + 1;
    }

    @Override
    public List<String> wrapper(int k) {
        return List.of();
    }

    @Override
    public void isolate(int k) {
        throw new UnsupportedOperationException(
                "nodes on one loopback address cannot be cut off from each other;" + " use NamespaceNetwork");
    }

    @Override
    public void heal() {
        // nothing is ever cut
    }

    @Override
    public String describe() {
        return size + " nodes on " + HOST + ", HTTP " + httpPort(0) + "+k, RPC " + port(0) + "+k, Raft " + raftPort(0)
                + "+k";
    }

    @Override
    public void close() {
        // nothing to undo
    }
}
