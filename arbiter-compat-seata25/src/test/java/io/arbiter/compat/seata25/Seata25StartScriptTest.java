package io.arbiter.compat.seata25;

import static io.arbiter.compat.client.TccLedger.Phase.COMMIT;
import static io.arbiter.compat.client.TccParticipant.ACTION_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.server.ArbiterEndpoint;
import io.arbiter.compat.server.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command, as an operator runs it: {@code bin/arbiter start} (here with free ports and a data
 * directory of its own instead of the defaults 8091/7091/9091 and {@code ./data}) starts a node from the built tree;
 * it answers {@code /health}, the real Seata 2.5 client commits a TCC transaction on it, and SIGTERM stops it cleanly.
 * (A build that also makes a test jar once made the script start that jar instead: "could not find main class".)
 */
class Seata25StartScriptTest {
    @TempDir
    Path work;

    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/arbiter")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("no bin/arbiter above " + here);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void binArbiterStartRunsANodeThatTheRealClientUsesAndStopsOnSigterm() throws Exception {
        int[] ports = FreePorts.allocate(3);
        Path log = work.resolve("node.log");
        Process node = new ProcessBuilder(List.of(
                        repositoryRoot().resolve("bin/arbiter").toString(),
                        "start",
                        "-p",
                        String.valueOf(ports[0]),
                        "--http-port",
                        String.valueOf(ports[1]),
                        "--raft-port",
                        String.valueOf(ports[2]),
                        "-h",
                        ArbiterEndpoint.HOST,
                        "-d",
                        work.resolve("data").toString()))
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://" + ArbiterEndpoint.HOST + ":" + ports[1] + "/health");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // the first start may build the tree
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                assertThat(node.isAlive())
                        .as("bin/arbiter start exited; its output:%n%s", tail(log))
                        .isTrue();
                try {
                    status = http.send(
                                    HttpRequest.newBuilder(health)
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(500);
                }
            }
            assertThat(status).as("/health; output:%n%s", tail(log)).isEqualTo(200);

            CompatClient client = new Seata25Client();
            client.init(new ArbiterEndpoint() {
                @Override
                public int port() {
                    return ports[0];
                }

                @Override
                public int httpPort() {
                    return ports[1];
                }
            });
            String tag = "start-script-" + UUID.randomUUID();
            GlobalTx tx = client.begin("start-script", 30_000);
            assertThat(tx.xid()).startsWith(ArbiterEndpoint.HOST + ":" + ports[0] + ":");
            client.tcc().tryA(tag);
            assertThat(tx.commit()).isEqualTo("Committed");
            assertThat(TccLedger.get().count(ACTION_A, COMMIT, tag)).isEqualTo(1);

            node.destroy(); // SIGTERM
            assertThat(node.waitFor(30, TimeUnit.SECONDS))
                    .as("stops on SIGTERM; output:%n%s", tail(log))
                    .isTrue();
        } finally {
            if (node.isAlive()) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
