package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {
    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(ClusterEndpointTest.A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(ClusterEndpointTest.A), MetadataApiConfig.open())) {
            HttpResponse<String> unknown = api.get("/metadata/v1/nope");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(ApiFixture.json(unknown)).containsEntry("code", "404").containsEntry("success", false);
            assertThat(api.get("/api/v1/auth/logout").statusCode()).isEqualTo(404);
            assertThat(api.get("/somewhere/else").statusCode()).isEqualTo(404);

            HttpResponse<String> postCluster = api.postForm("/metadata/v1/cluster", "");
            assertThat(postCluster.statusCode()).isEqualTo(405);
            assertThat(postCluster.headers().firstValue("Allow")).hasValue("GET");
            assertThat(ApiFixture.json(postCluster)).containsEntry("code", "405");
            assertThat(api.get("/metadata/v1/watch").statusCode()).isEqualTo(405);
            assertThat(api.get("/metadata/v1/changeCluster?raftClusterStr=10.0.0.1:9091")
                            .statusCode())
                    .isEqualTo(405);
            assertThat(api.get("/api/v1/auth/login").statusCode()).isEqualTo(405);
            assertThat(api.send(api.request("/metadata/v1/cluster").DELETE().build())
                            .statusCode())
                    .isEqualTo(405);

            // a trailing slash is the same path, as in Spring
            assertThat(api.get("/metadata/v1/cluster/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthIsUnchanged() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(ClusterEndpointTest.A), 1);
        try (ApiFixture api = new ApiFixture(cluster.view(ClusterEndpointTest.A), MetadataApiConfig.open())) {
            HttpResponse<String> r = api.get("/health");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .isEqualTo(
                            "{\"status\":\"UP\",\"role\":\"leader\",\"transactions\":0,\"locks\":0,\"unreachable\":[\"n\\\"9\"]}");
            assertThat(api.send(api.request("/health")
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build())
                            .statusCode())
                    .isEqualTo(200);
        }
    }
}
