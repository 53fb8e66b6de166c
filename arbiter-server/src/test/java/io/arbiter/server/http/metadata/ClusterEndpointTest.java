package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.server.cluster.ClusterMember;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterEndpointTest {
    static final ClusterMember A = new ClusterMember("a", "10.0.0.1", 8091, 7091, 9091);
    static final ClusterMember B = new ClusterMember("b", "10.0.0.2", 8091, 7091, 9091);
    static final ClusterMember C = new ClusterMember("c", "10.0.0.3", 8191, 7191, 9191);

    @Test
    void answersSeatasMetadataResponseWithTheAnsweringNodeAsLeader() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B, C), 7);
        try (ApiFixture api =
                new ApiFixture(cluster.view(B), MetadataApiConfig.open().withLeaderChoice(LeaderChoice.SELF))) {
            HttpResponse<String> r = api.get("/metadata/v1/cluster?group=");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode body = Responses.JSON.readTree(r.body());
            assertThat(fieldNames(body)).containsExactly("nodes", "storeMode", "term");
            assertThat(body.get("storeMode").asText()).isEqualTo("raft");
            assertThat(body.get("term").isIntegralNumber()).isTrue();
            assertThat(body.get("term").asLong())
                    .isEqualTo(MetadataTerm.of(7, List.of(A, B, C), "b").encode())
                    .isPositive();
            JsonNode nodes = body.get("nodes");
            assertThat(nodes).hasSize(3);
            JsonNode b = nodes.get(1);
            assertThat(fieldNames(b))
                    .containsExactly("control", "transaction", "internal", "group", "role", "version", "metadata");
            assertThat(b.get("control").get("host").asText()).isEqualTo("10.0.0.2");
            assertThat(b.get("control").get("port").asInt()).isEqualTo(7091);
            assertThat(fieldNames(b.get("control"))).containsExactly("host", "port");
            assertThat(b.get("transaction").get("port").asInt()).isEqualTo(8091);
            assertThat(b.get("internal").get("port").asInt()).isEqualTo(9091);
            assertThat(b.get("group").asText()).isEqualTo("default");
            assertThat(b.get("version").asText()).isEqualTo("2.5.0");
            assertThat(b.get("metadata").isObject()).isTrue();
            assertThat(roles(body)).containsExactly("FOLLOWER", "LEADER", "FOLLOWER");
            assertThat(nodes.get(2).get("transaction").get("port").asInt()).isEqualTo(8191);
        }
    }

    @Test
    void anyOrNoGroupParameterGetsTheClustersGroup() throws Exception {
        FakeCluster cluster = new FakeCluster("my-group", List.of(A, B), 1);
        try (ApiFixture api =
                new ApiFixture(cluster.view(A), MetadataApiConfig.open().withLeaderChoice(LeaderChoice.SELF))) {
            for (String query : List.of("", "?group=", "?group=my-group", "?group=something-else")) {
                HttpResponse<String> r = api.get("/metadata/v1/cluster" + query);
                assertThat(r.statusCode()).as(query).isEqualTo(200);
                JsonNode body = Responses.JSON.readTree(r.body());
                assertThat(body.get("nodes").get(0).get("group").asText()).isEqualTo("my-group");
                assertThat(roles(body)).containsExactly("LEADER", "FOLLOWER");
            }
        }
    }

    @Test
    void eachNodeMarksItselfSoClientsSpread() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B, C), 1);
        List<String> leaders = new ArrayList<>();
        for (ClusterMember self : List.of(A, B, C)) {
            try (ApiFixture api =
                    new ApiFixture(cluster.view(self), MetadataApiConfig.open().withLeaderChoice(LeaderChoice.SELF))) {
                leaders.add(leaderHost(
                        Responses.JSON.readTree(api.get("/metadata/v1/cluster").body())));
            }
        }
        assertThat(leaders).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
    }

    @Test
    void raftLeaderAndClientAddressChoicesAgreeAcrossNodes() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B, C), 1); // raft leader: A
        for (LeaderChoice choice : List.of(LeaderChoice.RAFT_LEADER, LeaderChoice.CLIENT_ADDRESS)) {
            List<String> leaders = new ArrayList<>();
            for (ClusterMember self : List.of(A, B, C)) {
                try (ApiFixture api = new ApiFixture(
                        cluster.view(self), MetadataApiConfig.open().withLeaderChoice(choice))) {
                    JsonNode body = Responses.JSON.readTree(
                            api.get("/metadata/v1/cluster").body());
                    assertThat(roles(body)).containsOnlyOnce("LEADER");
                    leaders.add(leaderHost(body));
                }
            }
            assertThat(leaders).as(choice.name()).containsOnly(leaders.get(0));
            if (choice == LeaderChoice.RAFT_LEADER) {
                assertThat(leaders.get(0)).isEqualTo("10.0.0.1");
            }
        }
    }

    /** The 2.0.0 client's Node has no internal/version and its ObjectMapper fails on unknown fields. */
    @Test
    void seata20ClientsGetTheShapeTheyCanParse() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(A, B), 3);
        ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (ApiFixture api =
                new ApiFixture(cluster.view(A), MetadataApiConfig.open().withLeaderChoice(LeaderChoice.SELF))) {
            HttpResponse<String> legacy =
                    api.get("/metadata/v1/cluster?group=", "User-Agent", "Apache-HttpClient/4.5.13 (Java/1.8.0_392)");
            Seata20Response parsed = strict.readValue(legacy.body(), Seata20Response.class);
            assertThat(parsed.nodes).hasSize(2);
            assertThat(parsed.nodes.get(0).role).isEqualTo("LEADER");
            assertThat(parsed.term)
                    .isEqualTo(MetadataTerm.of(3, List.of(A, B), "a").encode());

            // Seata 2.1+ sends Content-Type on the GET: full shape
            HttpResponse<String> full = api.get(
                    "/metadata/v1/cluster?group=",
                    "User-Agent",
                    "Apache-HttpClient/4.5.14 (Java/17)",
                    "Content-Type",
                    "application/x-www-form-urlencoded");
            assertThat(Responses.JSON.readTree(full.body()).get("nodes").get(0).has("internal"))
                    .isTrue();
        }
    }

    @Test
    void noKnownMembersIs503WithAReason() throws Exception {
        FakeCluster cluster = new FakeCluster("default", List.of(), 0);
        try (ApiFixture api =
                new ApiFixture(cluster.view(A), MetadataApiConfig.open().withLeaderChoice(LeaderChoice.SELF))) {
            HttpResponse<String> r = api.get("/metadata/v1/cluster");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(ApiFixture.json(r))
                    .containsEntry("code", "503")
                    .containsEntry("success", false)
                    .containsKey("message");
        }
    }

    static List<String> roles(JsonNode body) {
        List<String> roles = new ArrayList<>();
        body.get("nodes").forEach(n -> roles.add(n.get("role").asText()));
        return roles;
    }

    static String leaderHost(JsonNode body) {
        for (JsonNode n : body.get("nodes")) {
            if (n.get("role").asText().equals("LEADER")) {
                return n.get("control").get("host").asText();
            }
        }
        return null;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Seata 2.0.0's io.seata.common.metadata.MetadataResponse / Node / Endpoint, field for field. */
    public static final class Seata20Response {
        public List<Seata20Node> nodes;
        public String storeMode;
        public long term;
    }

    public static final class Seata20Node {
        public Map<String, Object> metadata = new HashMap<>();
        public Seata20Endpoint control;
        public Seata20Endpoint transaction;
        public String group;
        public String role;
    }

    public static final class Seata20Endpoint {
        public String host;
        public int port;
    }
}
