package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.server.cluster.ClusterMember;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchEndpointTest {
    static final ClusterMember A = ClusterEndpointTest.A;
    static final ClusterMember B = ClusterEndpointTest.B;

    private static MetadataApiConfig config(Duration watchTimeout) {
        return MetadataApiConfig.open().withWatchTimeout(watchTimeout);
    }

    @Test
    void staleTermGets200AtOnce() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(B), config(Duration.ofSeconds(20)))) {
            long start = System.nanoTime();
            HttpResponse<String> r = api.postForm("/metadata/v1/watch", "default=4");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void parkedWatchGets200OnChange() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(B), config(Duration.ofSeconds(20)))) {
            CompletableFuture<HttpResponse<String>> parked = api.postFormAsync("/metadata/v1/watch", "default=5");
            await().atMost(5, TimeUnit.SECONDS).until(() -> cluster.pendingSubscriptions() == 1);
            assertThat(parked).isNotDone();

            cluster.change(List.of(A), A.id()); // e.g. B removed

            HttpResponse<String> r = parked.get(5, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        }
    }

    @Test
    void unchangedTermGets304AfterTheTimeout() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofMillis(300)))) {
            long start = System.nanoTime();
            HttpResponse<String> r = api.postForm("/metadata/v1/watch", "default=5");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.statusCode()).isEqualTo(304);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(290)).isLessThan(Duration.ofSeconds(5));

            // a client ahead of this node (lagging follower) also waits
            assertThat(api.postForm("/metadata/v1/watch", "default=9").statusCode()).isEqualTo(304);
        }
    }

    @Test
    void timeoutParameterShortensButNeverExceedsTheConfiguredTimeout() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofSeconds(20)))) {
            long start = System.nanoTime();
            HttpResponse<String> r = api.postForm("/metadata/v1/watch", "default=1&timeout=200");
            assertThat(r.statusCode()).isEqualTo(304);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofMillis(200)))) {
            long start = System.nanoTime();
            assertThat(api.postForm("/metadata/v1/watch", "default=1&timeout=60000").statusCode()).isEqualTo(304);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void groupNamesDoNotMatterAndTheStalestTermDecides() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofMillis(200)))) {
            assertThat(api.postForm("/metadata/v1/watch", "other-group=3").statusCode()).isEqualTo(200);
            assertThat(api.postForm("/metadata/v1/watch", "default=5&g2=4").statusCode()).isEqualTo(200);
            // terms in the query string count too (Spring's @RequestParam)
            assertThat(api.postForm("/metadata/v1/watch?default=2", "").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void badWatchesAre400WithAReason() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofMillis(200)))) {
            for (String form : List.of("", "timeout=100", "default=abc", "default=1&timeout=-5",
                    "default=1&timeout=x")) {
                HttpResponse<String> r = api.postForm("/metadata/v1/watch", form);
                assertThat(r.statusCode()).as(form).isEqualTo(400);
                assertThat(ApiFixture.json(r)).containsEntry("code", "400").containsEntry("success", false);
            }
            HttpResponse<String> json = api.send(api.request("/metadata/v1/watch")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"default\":1}")).build());
            assertThat(json.statusCode()).isEqualTo(415);
        }
    }

    @Test
    void manyWatchersShareOneSubscriptionAndAllWake() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofSeconds(20)))) {
            List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                parked.add(api.postFormAsync("/metadata/v1/watch", "default=5"));
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> cluster.pendingSubscriptions() == 1
                    && cluster.changedSinceCalls.get() == 1);
            Thread.sleep(200); // let all 20 reach the server
            assertThat(cluster.changedSinceCalls.get()).isEqualTo(1);

            cluster.bumpTerm();

            for (var f : parked) {
                assertThat(f.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            // the connection stays usable after a parked answer
            assertThat(api.get("/metadata/v1/cluster").statusCode()).isEqualTo(200);
        }
    }
}
