package io.arbiter.server;

import io.arbiter.server.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starts in-process nodes on free ports for tests. */
final class TestNodes {
    private TestNodes() {}

    /**
     * A port that is free now, below Linux's ephemeral range (32768 and up): a port the kernel handed out for
     * {@code bind(0)} can be taken by an outgoing connection's source port before the node binds it ("Address already
     * in use" seen in a full run); these are only ever taken by someone who asks for them by number.
     */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = 10_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(22_000);
            if (isFree(p)) {
                return p;
            }
        }
        throw new IOException("no free port found below 32000");
    }

    /**
     * A Seata RPC port p such that p − 1000 (HTTP) and p + 1000 (Raft) are free as well: cluster members other than
     * the node itself are reached through Seata's port convention.
     */
    static int conventionalRpcPort() throws IOException {
        return conventionalRpcPort(new int[0]);
    }

    /** The same, sharing no port with the triples of {@code taken} (ports are checked free, not yet bound). */
    private static int conventionalRpcPort(int[] taken) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p = 11_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000); // see freePort
            boolean overlaps = false;
            for (int t : taken) {
                overlaps |= Math.abs(p - t) == 0 || Math.abs(p - t) == 1000 || Math.abs(p - t) == 2000;
            }
            if (!overlaps && isFree(p) && isFree(p - 1000) && isFree(p + 1000)) {
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

    /**
     * Starts {@code n} nodes of one cluster at once (each on a conventional port triple, data in
     * {@code dataDir/n<k>}), with {@code extra} settings on every node.
     */
    static java.util.List<ArbiterNode> startCluster(Path dataDir, int n, Map<String, String> extra) throws Exception {
        int[] rpc = new int[n];
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rpc[i] = conventionalRpcPort(java.util.Arrays.copyOf(rpc, i)); // triples picked before bind: no overlap
            list.append(i == 0 ? "" : ",").append("127.0.0.1:").append(rpc[i] + 1000);
        }
        ArbiterNode[] started = new ArbiterNode[n];
        java.util.List<Thread> starters = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            Map<String, String> values = new HashMap<>(extra);
            values.put("arbiter.port", String.valueOf(rpc[k]));
            values.put("arbiter.http-port", String.valueOf(rpc[k] - 1000));
            values.put("arbiter.raft-port", String.valueOf(rpc[k] + 1000));
            values.put("arbiter.cluster", list.toString());
            Thread t = new Thread(() -> {
                try {
                    started[k] = start(dataDir.resolve("n" + k), values);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            starters.add(t);
        }
        for (Thread t : starters) {
            t.join();
        }
        java.util.List<ArbiterNode> nodes = java.util.Arrays.asList(started);
        if (nodes.contains(null)) {
            nodes.stream().filter(java.util.Objects::nonNull).forEach(ArbiterNode::close);
            throw new IllegalStateException("a node of the cluster did not start (see its log)");
        }
        return nodes;
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

    /** Seata's {@code POST /metadata/v1/changeCluster} on {@code via} with these Raft addresses; the HTTP status. */
    static int changeCluster(ArbiterNode via, String raftList) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + via.httpPort()
                                        + "/metadata/v1/changeCluster?raftClusterStr=" + raftList))
                                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                .timeout(java.time.Duration.ofSeconds(90))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
