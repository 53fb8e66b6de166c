package io.arbiter.server.http.webconsole;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.server.http.HttpApiServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files over real HTTP: content types, caching, the redirect from /, 404s, every referenced file. */
class StaticAssetsTest {
    private static final EventLoopGroup BOSS = new NioEventLoopGroup(1);
    private static final EventLoopGroup WORKERS = new NioEventLoopGroup(1);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static HttpApiServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new HttpApiServer(
                () -> new HttpApiServer.HealthReport(true, "leader", 0, 0, List.of()), List.of(new StaticAssets()));
        server.start("127.0.0.1", 0, BOSS, WORKERS);
    }

    @AfterAll
    static void stop() {
        server.close();
        BOSS.shutdownGracefully();
        WORKERS.shutdownGracefully();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootRedirectsToTheConsoleWhosePagesAreNeverStale() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/console/");
        HttpResponse<String> index = get("/console/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(index.body()).contains("<title>Arbiter console</title>").doesNotContain("https://", "http://");
        String etag = index.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/console/", "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void everyFileTheConsoleLoadsIsServedFromTheJarWithItsType() throws Exception {
        String index = get("/console/index.html").body();
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"#]+)\"").matcher(index);
        int checked = 0;
        while (refs.find()) {
            String ref = refs.group(1);
            String path = ref.startsWith("/") ? ref : "/console/" + ref;
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .as(path)
                    .matches(path.endsWith(".css") ? "text/css.*" : "text/javascript.*");
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
        HttpResponse<String> chart = get("/webjars/chart.js/4.4.7/dist/chart.umd.js");
        assertThat(chart.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        for (String module : List.of(
                "app.js",
                "api.js",
                "ui.js",
                "pages/overview.js",
                "pages/transactions.js",
                "pages/locks.js",
                "pages/cluster.js")) {
            HttpResponse<String> r = get("/console/" + module);
            assertThat(r.statusCode()).as(module).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            Matcher imports = Pattern.compile("from '(\\.{1,2}/[^']+)'").matcher(r.body());
            while (imports.find()) {
                URI target = URI.create("http://x/console/" + module).resolve(imports.group(1));
                assertThat(get(target.getPath()).statusCode())
                        .as(module + " imports " + target)
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void unknownFilesAndEscapesGet404() throws Exception {
        assertThat(get("/console/nope.js").statusCode()).isEqualTo(404);
        assertThat(get("/console/../logback.xml").statusCode()).isEqualTo(404);
        assertThat(get("/console/%2e%2e/logback.xml").statusCode()).isEqualTo(404);
        assertThat(get("/webjars/chart.js/4.4.7/package.json").statusCode()).isIn(200, 404);
        assertThat(get("/webjars/../logback.xml").statusCode()).isEqualTo(404);
        assertThat(get("/console/pages/").statusCode()).isEqualTo(404);
        assertThat(get("/console/README").statusCode())
                .as("no type, not served")
                .isEqualTo(404);
        assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
    }
}
