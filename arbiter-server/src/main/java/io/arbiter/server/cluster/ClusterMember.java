package io.arbiter.server.cluster;

/**
 * One node of the cluster and its three endpoints: Seata RPC ("transaction"), HTTP ("control") and Raft
 * ("internal"), with Seata's naming. {@code id} is the node's Raft peer id.
 */
public record ClusterMember(String id, String host, int rpcPort, int httpPort, int raftPort) {

    /** Seata's convention: RPC = HTTP + 1000, Raft = RPC + 1000. */
    public static ClusterMember fromRaftAddress(String host, int raftPort) {
        return new ClusterMember(idFor(host, raftPort), host, raftPort - 1000, raftPort - 2000, raftPort);
    }

    /** A member known only by its id ({@link #idFor}), with Seata's port convention. */
    public static ClusterMember fromId(String id) {
        int cut = id.lastIndexOf('_');
        if (cut <= 0) {
            throw new IllegalArgumentException("not a node id (host_raftPort): " + id);
        }
        return fromRaftAddress(id.substring(0, cut), Integer.parseInt(id.substring(cut + 1)));
    }

    /** The peer id used in Raft for a node: stable across restarts and the same on every node. */
    public static String idFor(String host, int raftPort) {
        return host.replace(':', '_') + "_" + raftPort;
    }

    public String rpcAddress() {
        return host + ":" + rpcPort;
    }

    public String raftAddress() {
        return host + ":" + raftPort;
    }
}
