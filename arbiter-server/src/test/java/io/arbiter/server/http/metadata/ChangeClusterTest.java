package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.server.cluster.ClusterMember;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChangeClusterTest {
    /** An existing member whose ports do not follow Seata's convention: must be kept as is. */
    static final ClusterMember A = new ClusterMember("node-a", "10.0.0.1", 18091, 17091, 9091);

    @Test
    void changesMembershipAndAnswersSeatasResult() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(A), MetadataApiConfig.open())) {
            HttpResponse<String> r =
                    api.postForm("/metadata/v1/changeCluster?raftClusterStr=10.0.0.1:9091,10.0.0.2:9091", "");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"code\":\"200\",\"message\":\"success\",\"success\":true}");
            assertThat(cluster.members())
                    .containsExactly(
                            A, new ClusterMember(ClusterMember.idFor("10.0.0.2", 9091), "10.0.0.2", 8091, 7091, 9091));
            assertThat(cluster.term()).isEqualTo(2);
        }
    }

    @Test
    void acceptsTheListInTheFormBodyAndJraftSuffixes() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(A), MetadataApiConfig.open())) {
            HttpResponse<String> r =
                    api.postForm("/metadata/v1/changeCluster", "raftClusterStr=10.0.0.1:9091:0:1,10.0.0.3:9191::5");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(cluster.members()).extracting(ClusterMember::host).containsExactly("10.0.0.1", "10.0.0.3");
        }
    }

    @Test
    void parseErrorsAre400AndChangeNothing() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(A), MetadataApiConfig.open())) {
            for (String query : List.of(
                    "",
                    "?raftClusterStr=",
                    "?raftClusterStr=10.0.0.1",
                    "?raftClusterStr=10.0.0.1:abc",
                    "?raftClusterStr=10.0.0.1:9091,,10.0.0.2:9091",
                    "?raftClusterStr=10.0.0.1:80",
                    "?raftClusterStr=10.0.0.1:9091,10.0.0.1:9091",
                    "?raftClusterStr=10.0.0.1:9091:2")) {
                HttpResponse<String> r = api.postForm("/metadata/v1/changeCluster" + query, "");
                assertThat(r.statusCode()).as(query).isEqualTo(400);
                assertThat(ApiFixture.json(r)).containsEntry("code", "400").containsEntry("success", false);
                assertThat((String) ApiFixture.json(r).get("message")).isNotBlank();
            }
            assertThat(cluster.members()).containsExactly(A);
            assertThat(cluster.term()).isEqualTo(1);
        }
    }

    @Test
    void aFailedChangeIs500WithTheReason() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(A), MetadataApiConfig.open())) {
            CompletableFuture<Void> failed = new CompletableFuture<>();
            failed.completeExceptionally(new IllegalStateException("no quorum"));
            cluster.nextChangeResult(failed);

            HttpResponse<String> r = api.postForm("/metadata/v1/changeCluster?raftClusterStr=10.0.0.2:9091", "");

            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(ApiFixture.json(r)).containsEntry("code", "500").containsEntry("success", false);
            assertThat((String) ApiFixture.json(r).get("message")).contains("no quorum");
        }
    }

    @Test
    void aChangeCompletingLaterIsAnsweredThen() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(A), MetadataApiConfig.open())) {
            CompletableFuture<Void> later = new CompletableFuture<>();
            cluster.nextChangeResult(later);
            var answer = api.postFormAsync("/metadata/v1/changeCluster?raftClusterStr=10.0.0.2:9091", "");
            Thread.sleep(200);
            assertThat(answer).isNotDone();
            later.complete(null);
            assertThat(answer.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusedChangeIs400() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(A), MetadataApiConfig.open())) {
            cluster.nextChangeResult(CompletableFuture.failedFuture(new IllegalArgumentException("too many")));
            HttpResponse<String> r = api.postForm("/metadata/v1/changeCluster?raftClusterStr=10.0.0.2:9091", "");
            assertThat(r.statusCode()).isEqualTo(400);
        }
    }
}
