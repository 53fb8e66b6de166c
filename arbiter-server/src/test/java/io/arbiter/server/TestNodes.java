package io.arbiter.server;

import io.arbiter.server.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starts in-process nodes on free ports for tests. */
final class TestNodes {
    private TestNodes() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A Seata RPC port p such that p − 1000 (HTTP) and p + 1000 (Raft) are free as well: cluster members other than
     * the node itself are reached through Seata's port convention.
     */
    static int conventionalRpcPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p = 20_000 + (int) (Math.random() * 30_000);
            if (isFree(p) && isFree(p - 1000) && isFree(p + 1000)) {
                return p;
            }
        }
        throw new IOException("no free port triple found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static ArbiterNode start(Path dataDir, Map<String, String> extra) throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("arbiter.port", String.valueOf(freePort()));
        values.put("arbiter.http-port", String.valueOf(freePort()));
        values.put("arbiter.raft-port", String.valueOf(freePort()));
        values.put("arbiter.host", "127.0.0.1");
        values.put("arbiter.data-dir", dataDir.toString());
        values.put("arbiter.retry-backoff-ms", "100");
        values.put("arbiter.tick-interval-ms", "20");
        values.putAll(extra);
        return ArbiterNode.start(ConfigLoader.load(values));
    }
}
