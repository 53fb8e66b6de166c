package io.arbiter.compat.server;

import io.arbiter.server.ArbiterNode;
import io.arbiter.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link ArbiterNode} in the test JVM on free ports, with its data in a fresh directory under
 * {@code target/arbiter-data}. Settings given by the test (e.g. {@code arbiter.retry-backoff-ms}) are put over the
 * ports, host and data directory chosen here.
 */
public final class InProcessArbiter implements RunningTc {
    private final ArbiterNode node;
    private final Path dataDir;

    private InProcessArbiter(ArbiterNode node, Path dataDir) {
        this.node = node;
        this.dataDir = dataDir;
    }

    public static InProcessArbiter start(Map<String, String> settings) throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "arbiter-data")), "node-");
        int[] ports = FreePorts.allocate(3);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("arbiter.host", HOST);
        values.put("arbiter.port", String.valueOf(ports[0]));
        values.put("arbiter.http-port", String.valueOf(ports[1]));
        values.put("arbiter.raft-port", String.valueOf(ports[2]));
        values.put("arbiter.data-dir", dataDir.toAbsolutePath().toString());
        values.putAll(settings);
        return new InProcessArbiter(ArbiterNode.start(ConfigLoader.load(values)), dataDir);
    }

    @Override
    public int port() {
        return node.port();
    }

    @Override
    public int httpPort() {
        return node.httpPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws IOException {
        node.close();
    }
}
