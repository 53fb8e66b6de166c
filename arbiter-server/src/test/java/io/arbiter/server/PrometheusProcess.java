package io.arbiter.server;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, installed with apt-get when missing) scraping one
 * target every second, with its storage in a temporary directory, and its HTTP query API.
 */
final class PrometheusProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int port;
    private final Path log;

    private PrometheusProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Installs Debian's prometheus package if {@link #BINARY} is missing; fails the test if that is impossible. */
    static void ensureInstalled() throws Exception {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        // waits for dpkg's lock rather than failing when another install runs (e.g. another test's browser)
        List<String> install = List.of(
                "apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "--no-install-recommends", "prometheus");
        String out = run(install);
        if (!Files.isExecutable(BINARY)) {
            out += run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "update"));
            out += run(install);
        }
        if (!Files.isExecutable(BINARY)) {
            fail("this test needs a real Prometheus at " + BINARY + " and could not install Debian's 'prometheus' "
                    + "package with apt-get (run as root with Debian's package sources, or install it first):\n"
                    + out);
        }
    }

    private static String run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return command + ": " + e + "\n";
        }
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        return command + " exited " + p.exitValue() + ":\n" + text.substring(Math.max(0, text.length() - 4000));
    }

    /** Starts Prometheus scraping {@code target} ({@code host:port}, path /metrics) as job "arbiter" every second. */
    static PrometheusProcess start(Path dir, String target) throws Exception {
        ensureInstalled();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: arbiter
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        int port = TestNodes.freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusProcess prometheus = new PrometheusProcess(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) {
                fail("prometheus exited at once:\n" + prometheus.logTail());
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(prometheus.uri("/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return prometheus;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (System.nanoTime() > deadline) {
                prometheus.close();
                fail("prometheus was not ready within 30 s:\n" + prometheus.logTail());
            }
            Thread.sleep(200);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** An instant query: each series of the result as its labels and value. */
    List<Map.Entry<Map<String, String>, Double>> query(String promql) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("query " + promql + " failed: " + r.body());
        }
        List<Map.Entry<Map<String, String>, Double>> series = new ArrayList<>();
        for (JsonNode s : body.path("data").path("result")) {
            Map<String, String> labels = new java.util.TreeMap<>();
            s.path("metric")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            series.add(
                    Map.entry(labels, Double.parseDouble(s.path("value").get(1).asText())));
        }
        return series;
    }

    /** The value of a query that yields one series, or NaN if it yields none. */
    double value(String promql) throws Exception {
        List<Map.Entry<Map<String, String>, Double>> series = query(promql);
        if (series.size() > 1) {
            throw new IllegalStateException(promql + " yields " + series.size() + " series: " + series);
        }
        return series.isEmpty() ? Double.NaN : series.get(0).getValue();
    }

    String logTail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
