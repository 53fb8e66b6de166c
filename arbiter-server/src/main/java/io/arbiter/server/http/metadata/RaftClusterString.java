package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterMember;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses Seata's {@code raftClusterStr} ({@code ip:raftPort,ip:raftPort,...}, jraft configuration syntax) into
 * members. jraft's optional {@code :index[:priority]} suffix is accepted with index 0 (or empty) and the priority
 * ignored. A listed address that is already a member keeps that member's id and ports; a new one gets Seata's port
 * convention ({@link ClusterMember#fromRaftAddress}), so its raft port must be above 2000.
 */
final class RaftClusterString {
    private RaftClusterString() {}

    static List<ClusterMember> parse(String value, List<ClusterMember> current) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(
                    "raftClusterStr is required, e.g. raftClusterStr=10.0.0.1:9091,10.0.0.2:9091");
        }
        List<ClusterMember> members = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                throw ApiException.badRequest("fail to parse initConf:" + value + " (empty entry)");
            }
            String[] parts = e.split(":", -1);
            if (parts.length < 2 || parts.length > 4 || parts[0].isEmpty()) {
                throw ApiException.badRequest(
                        "fail to parse initConf:" + value + " (expected ip:raftPort, got " + e + ")");
            }
            String host = parts[0];
            int port = port(parts[1], value);
            if (parts.length >= 3 && !parts[2].isEmpty() && !parts[2].equals("0")) {
                throw ApiException.badRequest("fail to parse initConf:" + value + " (peer index " + parts[2]
                        + " is not supported, only one node per address)");
            }
            if (!seen.add(host + ":" + port)) {
                throw ApiException.badRequest(
                        "fail to parse initConf:" + value + " (" + host + ":" + port + " is listed twice)");
            }
            members.add(current.stream()
                    .filter(m -> m.host().equals(host) && m.raftPort() == port)
                    .findFirst()
                    .orElseGet(() -> ClusterMember.fromRaftAddress(host, port)));
        }
        return members;
    }

    private static int port(String text, String value) {
        try {
            int port = Integer.parseInt(text);
            if (port > 2000 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("fail to parse initConf:" + value + " (raft port " + text
                + " must be a number in 2001..65535: HTTP = raft - 2000, RPC = raft - 1000)");
    }
}
