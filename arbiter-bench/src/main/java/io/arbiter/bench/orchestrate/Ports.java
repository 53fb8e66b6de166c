package io.arbiter.bench.orchestrate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collection;
import java.util.List;

/**
 * Seata's port convention for node k of a cluster with base B (default 8090): HTTP B-1000+k, RPC B+k, Raft
 * B+1000+k; and loopback port checks.
 */
final class Ports {
    private Ports() {}

    static int http(int base, int k) {
        return base - 1000 + k;
    }

    static int rpc(int base, int k) {
        return base + k;
    }

    static int raft(int base, int k) {
        return base + 1000 + k;
    }

    /** Every port a cluster of {@code nodes} uses. */
    static List<Integer> all(int base, int nodes) {
        List<Integer> ports = new java.util.ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            ports.addAll(List.of(http(base, k), rpc(base, k), raft(base, k)));
        }
        return ports;
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits up to {@code seconds} for all ports to be free; throws naming the busy ones. */
    static void awaitFree(Collection<Integer> ports, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            List<Integer> busy = ports.stream().filter(p -> !free(p)).toList();
            if (busy.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "ports " + busy + " are in use (another coordinator running? " + "use --base-port to shift)");
            }
            Thread.sleep(500);
        }
    }

    static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
