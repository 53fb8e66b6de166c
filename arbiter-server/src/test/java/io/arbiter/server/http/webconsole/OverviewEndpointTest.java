package io.arbiter.server.http.webconsole;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.arbiter.server.http.HttpApiServer;
import io.arbiter.server.metrics.LatencyHistogram;
import io.arbiter.server.metrics.NodeMetrics;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The overview's JSON: this node's part, the cluster form with a member that does not answer, the verbs. */
class OverviewEndpointTest {
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(1);
    private final NodeMetrics metrics = new NodeMetrics();
    private HttpApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        metrics.close();
        boss.shutdownGracefully();
        workers.shutdownGracefully();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> call(String method, String query) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + server.port() + OverviewEndpoint.PATH + query))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsThisNodeAndMarksAMemberThatDoesNotAnswer() throws Exception {
        ClusterMember self = new ClusterMember("127.0.0.1_1", "127.0.0.1", 1, 1, 1);
        ClusterMember gone = new ClusterMember("127.0.0.1_2", "127.0.0.1", 2, closedPort(), 2);
        server = new HttpApiServer(
                () -> new HttpApiServer.HealthReport(true, "leader", 0, 0, List.of()),
                List.of(new OverviewEndpoint(metrics, new Members(self, List.of(self, gone)), () -> 42L)));
        server.start("127.0.0.1", 0, boss, workers);

        JsonNode node = new ObjectMapper().readTree(call("GET", "?scope=node").body());
        assertThat(node.path("node").asText()).isEqualTo(self.id());
        assertThat(node.path("reachable").asBoolean()).isTrue();
        assertThat(node.path("fragments").isArray()).isTrue();

        JsonNode cluster = new ObjectMapper().readTree(call("GET", "").body());
        assertThat(cluster.path("time").asLong()).isEqualTo(42);
        assertThat(cluster.path("latencyBoundsMs")).hasSize(LatencyHistogram.BOUNDS_MS.length);
        assertThat(cluster.path("nodes")).hasSize(2);
        assertThat(cluster.path("nodes").get(0).path("reachable").asBoolean()).isTrue();
        JsonNode other = cluster.path("nodes").get(1);
        assertThat(other.path("node").asText()).isEqualTo(gone.id());
        assertThat(other.path("reachable").asBoolean()).isFalse();
        assertThat(other.path("error").asText()).isNotEmpty();

        HttpResponse<String> post = call("POST", "");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    private record Members(ClusterMember self, List<ClusterMember> members) implements ClusterView {
        public String group() {
            return "default";
        }

        public Optional<ClusterMember> leader() {
            return Optional.of(self);
        }

        public long raftTerm() {
            return 1;
        }

        public boolean reachable(String memberId) {
            return true;
        }

        public long version() {
            return 1;
        }

        public CompletableFuture<Void> changedSince(long knownVersion) {
            return new CompletableFuture<>();
        }

        public CompletableFuture<Void> changeMembers(List<ClusterMember> newMembers) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    }
}
