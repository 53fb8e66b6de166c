package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthTest {
    /** Seata's default seata.security.secretKey. */
    static final String SECRET = "SeataSecretKey0c382ef121d778043159209298fd40bf3850a017";

    static final MetadataApiConfig AUTH = new MetadataApiConfig("seata", "s3cret", SECRET, Duration.ofMinutes(30));
    static final String LOGIN = "{\"username\":\"seata\",\"password\":\"s3cret\"}";

    private final FakeCluster cluster = new FakeCluster("default", List.of(ClusterEndpointTest.A), 1);

    @Test
    void loginAnswersSeatasShapeWithABearerJwt() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        try (ApiFixture api = new ApiFixture(cluster.view(ClusterEndpointTest.A), AUTH, clock)) {
            HttpResponse<String> r = api.postJson("/api/v1/auth/login", LOGIN);

            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = Responses.JSON.readTree(r.body());
            assertThat(ClusterEndpointTest.fieldNames(body)).containsExactly("code", "message", "data", "success");
            assertThat(body.get("code").asText()).isEqualTo("200");
            assertThat(body.get("message").asText()).isEqualTo("success");
            assertThat(body.get("success").asBoolean()).isTrue();
            String token = body.get("data").asText();
            assertThat(token).startsWith("Bearer ");
            assertThat(r.headers().firstValue("Authorization")).hasValue(token);

            String[] parts = token.substring(7).split("\\.");
            assertThat(parts).hasSize(3);
            JsonNode header = Responses.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = Responses.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            assertThat(header.get("alg").asText()).isEqualTo("HS256");
            assertThat(claims.get("sub").asText()).isEqualTo("seata");
            assertThat(claims.get("exp").asLong())
                    .isEqualTo(Instant.parse("2025-01-01T00:30:00Z").getEpochSecond());
        }
    }

    @Test
    void badCredentialsAreHttp200WithCode401() throws Exception {
        try (ApiFixture api = new ApiFixture(cluster.view(ClusterEndpointTest.A), AUTH)) {
            for (String body : List.of(
                    "{\"username\":\"seata\",\"password\":\"wrong\"}",
                    "{\"username\":\"other\",\"password\":\"s3cret\"}",
                    "{}")) {
                HttpResponse<String> r = api.postJson("/api/v1/auth/login", body);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body())
                        .isEqualTo("{\"code\":\"401\",\"message\":\"Login failed\",\"data\":null,\"success\":false}");
                assertThat(r.headers().firstValue("Authorization")).isEmpty();
            }
            assertThat(api.postJson("/api/v1/auth/login", "not json").statusCode())
                    .isEqualTo(400);
            assertThat(api.postJson("/api/v1/auth/login", "[1]").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void metadataNeedsAValidTokenWhileHealthAndLoginStayOpen() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        try (ApiFixture api = new ApiFixture(cluster.view(ClusterEndpointTest.A), AUTH, clock)) {
            HttpResponse<String> denied = api.get("/metadata/v1/cluster");
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(ApiFixture.json(denied)).containsEntry("code", "401").containsEntry("success", false);
            assertThat(api.postForm("/metadata/v1/watch", "default=0").statusCode())
                    .isEqualTo(401);
            assertThat(api.postForm("/metadata/v1/changeCluster?raftClusterStr=10.0.0.1:9091", "")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(api.get("/metadata/v1/cluster", "Authorization", "Bearer not.a.token")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(api.get("/health").statusCode()).isEqualTo(200);

            String token = ApiFixture.json(api.postJson("/api/v1/auth/login", LOGIN))
                    .get("data")
                    .toString();
            assertThat(api.get("/metadata/v1/cluster", "Authorization", token).statusCode())
                    .isEqualTo(200);
            assertThat(api.postForm("/metadata/v1/watch", "default=0", "Authorization", token)
                            .statusCode())
                    .isEqualTo(200);
            String raw = token.substring("Bearer ".length());
            assertThat(api.get("/metadata/v1/cluster?access_token=" + URLEncoder.encode(raw, StandardCharsets.UTF_8))
                            .statusCode())
                    .isEqualTo(200);

            // a tampered signature
            String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
            assertThat(api.get("/metadata/v1/cluster", "Authorization", tampered)
                            .statusCode())
                    .isEqualTo(401);

            clock.advance(Duration.ofMinutes(31));
            assertThat(api.get("/metadata/v1/cluster", "Authorization", token).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void aTokenFromOneNodeWorksOnAnotherWithTheSameSecret() throws Exception {
        try (ApiFixture a = new ApiFixture(cluster.view(ClusterEndpointTest.A), AUTH);
                ApiFixture b = new ApiFixture(cluster.view(ClusterEndpointTest.B), AUTH)) {
            String token = ApiFixture.json(a.postJson("/api/v1/auth/login", LOGIN))
                    .get("data")
                    .toString();
            assertThat(b.get("/metadata/v1/cluster", "Authorization", token).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void withAuthOffEverythingIsOpenAndLoginSucceedsWithoutAToken() throws Exception {
        try (ApiFixture api = new ApiFixture(cluster.view(ClusterEndpointTest.A), MetadataApiConfig.open())) {
            assertThat(api.get("/metadata/v1/cluster").statusCode()).isEqualTo(200);
            HttpResponse<String> login = api.postJson("/api/v1/auth/login", LOGIN);
            assertThat(ApiFixture.json(login))
                    .containsEntry("code", "200")
                    .containsEntry("data", "")
                    .containsEntry("success", true);
        }
    }
}
