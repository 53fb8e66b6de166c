package io.arbiter.server.http.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seata's {@code MetadataResponse} for this cluster: every member as a Node, one of them {@code LEADER} (chosen by
 * the {@link LeaderChoice}), {@code storeMode} "raft" (which turns on the clients' leader-only routing) and a
 * {@link MetadataTerm} saying which leadership, membership and LEADER the answer holds.
 *
 * <p>Shape: Seata 2.1+ nodes carry {@code internal} and {@code version}; the 2.0.0 client parses with a default
 * Jackson ObjectMapper (FAIL_ON_UNKNOWN_PROPERTIES) into a Node class without them and would drop the whole
 * response ("Unrecognized field internal"), so 2.0 clients get the 2.0 shape (see {@link Shape#of}).
 */
final class ClusterMetadata {
    static final String STORE_MODE = "raft";
    /** The Seata server version we answer as. */
    static final String SEATA_VERSION = "2.5.0";

    record Endpoint(String host, int port) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Node(
            Endpoint control,
            Endpoint transaction,
            Endpoint internal,
            String group,
            String role,
            String version,
            Map<String, Object> metadata) {}

    record Response(List<Node> nodes, String storeMode, long term) {}

    /** Which Node fields a client understands. */
    enum Shape {
        /** Seata 2.1+: control, transaction, internal, group, role, version, metadata. */
        FULL,
        /** Seata 2.0.0: metadata, control, transaction, group, role. */
        SEATA_20;

        /**
         * Recognizes the 2.0.0 client's GET: Apache HttpClient with neither Content-Type nor Authorization
         * ({@code HttpClientUtil.doGet(url, param, null, 1000)} in 2.0.0; from 2.1 on the raft registry always sends
         * {@code Content-Type: application/x-www-form-urlencoded}). Anything else (curl, browsers, 2.1+) gets FULL.
         */
        static Shape of(HttpHeaders headers) {
            String agent = headers.get(HttpHeaderNames.USER_AGENT, "");
            boolean legacy = agent.startsWith("Apache-HttpClient/")
                    && !headers.contains(HttpHeaderNames.CONTENT_TYPE)
                    && !headers.contains(HttpHeaderNames.AUTHORIZATION);
            return legacy ? SEATA_20 : FULL;
        }
    }

    private final ClusterView view;
    private final LeaderChoice choice;

    ClusterMetadata(ClusterView view, LeaderChoice choice) {
        this.view = view;
        this.choice = choice;
    }

    /** The metadata as seen by a client at {@code client}; empty while this node knows no members. */
    Optional<Response> describe(InetAddress client, Shape shape) {
        long raftTerm = view.raftTerm(); // read first: the nodes are never older than the term a client watches with
        List<ClusterMember> members = view.members();
        if (members.isEmpty()) {
            return Optional.empty();
        }
        String leaderId = choice.choose(view, members, client).id();
        String group = view.group();
        List<Node> nodes = members.stream()
                .map(m -> node(m, group, m.id().equals(leaderId) ? "LEADER" : "FOLLOWER", shape))
                .toList();
        return Optional.of(new Response(
                nodes, STORE_MODE, MetadataTerm.of(raftTerm, members, leaderId).encode()));
    }

    private static Node node(ClusterMember m, String group, String role, Shape shape) {
        Endpoint control = new Endpoint(m.host(), m.httpPort());
        Endpoint transaction = new Endpoint(m.host(), m.rpcPort());
        if (shape == Shape.SEATA_20) {
            return new Node(control, transaction, null, group, role, null, Map.of());
        }
        return new Node(
                control, transaction, new Endpoint(m.host(), m.raftPort()), group, role, SEATA_VERSION, Map.of());
    }
}
