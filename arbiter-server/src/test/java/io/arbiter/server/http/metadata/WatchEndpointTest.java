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
    static final ClusterMember C = ClusterEndpointTest.C;

    private static MetadataApiConfig config(Duration watchTimeout) {
        return MetadataApiConfig.open().withWatchTimeout(watchTimeout);
    }

    /** The form a Seata client sends to watch after it fetched metadata naming {@code named} LEADER. */
    private static String holding(FakeCluster cluster, List<ClusterMember> members, ClusterMember named) {
        return holding(cluster.term(), members, named);
    }

    private static String holding(long raftTerm, List<ClusterMember> members, ClusterMember named) {
        return "default=" + MetadataTerm.of(raftTerm, members, named.id()).encode();
    }

    @Test
    void metadataOfAnotherMembershipOrAnOlderRaftTermGets200AtOnce() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(B), config(Duration.ofSeconds(20)))) {
            for (String form : List.of(
                    holding(cluster, List.of(A), A),
                    holding(cluster, List.of(A, B, C), A),
                    holding(4, List.of(A, B), A),
                    "default=4")) {
                long start = System.nanoTime();
                HttpResponse<String> r = api.postForm("/metadata/v1/watch", form);
                assertThat(r.statusCode()).as(form).isEqualTo(200);
                assertThat(r.body()).isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    /** The client sends everything to its LEADER and watches another node: that node answers when it dies. */
    @Test
    void aClientWhoseNodeIsUnreachableGets200AtOnceOrAsSoonAsItBecomesSo() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B, C), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(B), config(Duration.ofSeconds(20)))) {
            CompletableFuture<HttpResponse<String>> parked =
                    api.postFormAsync("/metadata/v1/watch", holding(cluster, List.of(A, B, C), A));
            await().atMost(5, TimeUnit.SECONDS).until(() -> cluster.pendingSubscriptions() == 1);
            Thread.sleep(100);
            assertThat(parked).isNotDone();

            long start = System.nanoTime();
            cluster.reachable(A.id(), false);
            assertThat(parked.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

            // while A stays unreachable, a client still holding metadata that names A is told at once
            assertThat(api.postForm("/metadata/v1/watch", holding(cluster, List.of(A, B, C), A))
                            .statusCode())
                    .isEqualTo(200);
            // one that names C waits
            CompletableFuture<HttpResponse<String>> namingC =
                    api.postFormAsync("/metadata/v1/watch", holding(cluster, List.of(A, B, C), C));
            Thread.sleep(300);
            assertThat(namingC).isNotDone();
            cluster.reachable(A.id(), true); // any change this node sees wakes the watchers
            assertThat(namingC.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void parkedWatchGets200OnChange() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(B), config(Duration.ofSeconds(20)))) {
            CompletableFuture<HttpResponse<String>> parked =
                    api.postFormAsync("/metadata/v1/watch", holding(cluster, List.of(A, B), A));
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
            HttpResponse<String> r = api.postForm("/metadata/v1/watch", holding(cluster, List.of(A, B), B));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.statusCode()).isEqualTo(304);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(290)).isLessThan(Duration.ofSeconds(5));

            // the node a client sends to may be this one: it is reachable, so the watch waits too
            assertThat(api.postForm("/metadata/v1/watch", holding(cluster, List.of(A, B), A))
                            .statusCode())
                    .isEqualTo(304);
            // so does a client that fetched from a node that already knows a newer Raft term
            assertThat(api.postForm("/metadata/v1/watch", holding(9, List.of(A, B), B))
                            .statusCode())
                    .isEqualTo(304);
        }
    }

    @Test
    void timeoutParameterShortensButNeverExceedsTheConfiguredTimeout() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofSeconds(20)))) {
            long start = System.nanoTime();
            HttpResponse<String> r =
                    api.postForm("/metadata/v1/watch", holding(cluster, List.of(A), A) + "&timeout=200");
            assertThat(r.statusCode()).isEqualTo(304);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofMillis(200)))) {
            long start = System.nanoTime();
            assertThat(api.postForm("/metadata/v1/watch", holding(cluster, List.of(A), A) + "&timeout=60000")
                            .statusCode())
                    .isEqualTo(304);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void groupNamesDoNotMatterAndAnyStaleTermDecides() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 5);
        String current = Long.toString(MetadataTerm.of(5, List.of(A), A.id()).encode());
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofMillis(200)))) {
            assertThat(api.postForm("/metadata/v1/watch", "other-group=" + current)
                            .statusCode())
                    .isEqualTo(304);
            assertThat(api.postForm("/metadata/v1/watch", "default=" + current + "&g2=4")
                            .statusCode())
                    .isEqualTo(200);
            // terms in the query string count too (Spring's @RequestParam)
            assertThat(api.postForm("/metadata/v1/watch?default=2", "").statusCode())
                    .isEqualTo(200);
            assertThat(api.postForm("/metadata/v1/watch?default=" + current, "").statusCode())
                    .isEqualTo(304);
        }
    }

    @Test
    void badWatchesAre400WithAReason() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofMillis(200)))) {
            for (String form :
                    List.of("", "timeout=100", "default=abc", "default=1&timeout=-5", "default=1&timeout=x")) {
                HttpResponse<String> r = api.postForm("/metadata/v1/watch", form);
                assertThat(r.statusCode()).as(form).isEqualTo(400);
                assertThat(ApiFixture.json(r)).containsEntry("code", "400").containsEntry("success", false);
            }
            HttpResponse<String> json = api.send(api.request("/metadata/v1/watch")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"default\":1}"))
                    .build());
            assertThat(json.statusCode()).isEqualTo(415);
        }
    }

    @Test
    void manyWatchersShareOneSubscriptionAndAllWake() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B), 5);
        try (ApiFixture api = new ApiFixture(cluster.view(A), config(Duration.ofSeconds(20)))) {
            List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                parked.add(api.postFormAsync("/metadata/v1/watch", holding(cluster, List.of(A, B), B)));
            }
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> cluster.pendingSubscriptions() == 1 && cluster.changedSinceCalls.get() == 1);
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
