package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which member {@code /metadata/v1/cluster} marks {@code LEADER}. Unmodified Seata raft-registry clients send every
 * TC request to that member, and Arbiter nodes forward internally, so this only decides how clients spread over
 * the nodes (see the package documentation for the client code behind each choice). Every choice names exactly
 * one current member, falling back to the answering node, then the Raft leader, then the first member.
 */
public enum LeaderChoice {
    /**
     * The answering node names itself: a client uses the node it last fetched metadata from. Spreads clients
     * uniformly, also several clients on one host; but a client moves at every fetch (every ~30 s and after every
     * change), so its watch is often on the very node it sends to (the client picks the watched node from a list
     * it refreshes only every 10 s), and when that node dies it takes the client 1 s per retry to find another:
     * 1-5 s of failed requests after one kill in four in the long chaos run.
     */
    SELF {
        @Override
        Optional<ClusterMember> prefer(ClusterView view, List<ClusterMember> members, InetAddress client) {
            return byId(members, view.self().id());
        }
    },
    /**
     * Rendezvous hash of the client's IP address over the members this node reaches (the default): every node
     * names the same member for a client, so a client keeps its node until the membership changes or its member
     * goes down (then only that member's clients move, each to its next-highest member), and its watch is on
     * another node, which tells it at once when its member dies. Does not spread clients that share an address
     * (several processes on one host, NAT): they all use one node.
     */
    CLIENT_ADDRESS {
        @Override
        Optional<ClusterMember> prefer(ClusterView view, List<ClusterMember> members, InetAddress client) {
            if (client == null) {
                return Optional.empty();
            }
            byte[] address = client.getAddress();
            return members.stream()
                    .filter(m -> view.reachable(m.id()))
                    .max(Comparator.comparingLong((ClusterMember m) -> score(address, m.id()))
                            .thenComparing(ClusterMember::id));
        }
    },
    /** The Raft leader, as Seata itself does: all clients on one node. For comparison and debugging. */
    RAFT_LEADER {
        @Override
        Optional<ClusterMember> prefer(ClusterView view, List<ClusterMember> members, InetAddress client) {
            return view.leader().filter(l -> view.reachable(l.id())).flatMap(l -> byId(members, l.id()));
        }
    };

    abstract Optional<ClusterMember> prefer(ClusterView view, List<ClusterMember> members, InetAddress client);

    /** The member to mark LEADER; {@code members} must not be empty. */
    ClusterMember choose(ClusterView view, List<ClusterMember> members, InetAddress client) {
        return prefer(view, members, client)
                .or(() -> byId(members, view.self().id()))
                .or(() -> view.leader().flatMap(l -> byId(members, l.id())))
                .orElse(members.get(0));
    }

    private static Optional<ClusterMember> byId(List<ClusterMember> members, String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** A 64-bit FNV-1a over address and member id, with a final mix: stable across nodes and restarts. */
    static long score(byte[] address, String memberId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : address) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
        for (byte b : memberId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
