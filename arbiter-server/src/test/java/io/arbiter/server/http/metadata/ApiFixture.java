package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterView;
import io.arbiter.server.http.HttpApiServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A started HttpApiServer with the metadata API on a loopback port, and an HTTP client for it. */
final class ApiFixture implements AutoCloseable {
    static final String GROUP = "default";
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final HttpApiServer server;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    ApiFixture(ClusterView view, MetadataApiConfig config) throws InterruptedException {
        this(view, config, Clock.systemUTC());
    }

    ApiFixture(ClusterView view, MetadataApiConfig config, Clock clock) throws InterruptedException {
        this(view, config, clock, 0);
    }

    ApiFixture(ClusterView view, MetadataApiConfig config, Clock clock, int port) throws InterruptedException {
        server = new HttpApiServer(
                () -> new HttpApiServer.HealthReport(true, "leader", 0, 0, List.of("n\"9")),
                List.of(new MetadataHttpApi(view, config, clock)));
        server.start("127.0.0.1", port, boss, workers);
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int port() {
        return server.port();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return send(request(pathAndQuery, headers).GET().build());
    }

    HttpResponse<String> postForm(String pathAndQuery, String form, String... headers)
            throws IOException, InterruptedException {
        return send(request(pathAndQuery, headers)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    CompletableFuture<HttpResponse<String>> postFormAsync(String pathAndQuery, String form, String... headers) {
        return client.sendAsync(
                request(pathAndQuery, headers)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String pathAndQuery, String json, String... headers)
            throws IOException, InterruptedException {
        return send(request(pathAndQuery, headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }

    static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Responses.JSON.readValue(response.body(), Map.class);
        return map;
    }

    @Override
    public void close() {
        server.close();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
