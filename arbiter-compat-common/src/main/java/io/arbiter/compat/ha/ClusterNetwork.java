package io.arbiter.compat.ha;

import java.util.List;

/**
 * Where the nodes of a test cluster live and how they are reached: each node's address and ports (which follow
 * Seata's convention, RPC = Raft − 1000 and HTTP = RPC − 1000, because the server derives the other members'
 * ports from their Raft addresses), the command words that start a process "inside" the node's network, and,
 * where the network supports it, cutting a node off from the others.
 */
public interface ClusterNetwork extends AutoCloseable {
    /** The number of nodes this network was made for. */
    int size();

    /** The address node {@code k} (0-based) advertises and clients reach it at. */
    String host(int k);

    /** Node {@code k}'s Raft port; its Seata RPC port is this − 1000 and its HTTP port this − 2000. */
    int raftPort(int k);

    default int port(int k) {
        return raftPort(k) - 1000;
    }

    default int httpPort(int k) {
        return raftPort(k) - 2000;
    }

    /** Command words put before {@code java} to start node {@code k} in its network (empty on loopback). */
    List<String> wrapper(int k);

    /**
     * Cuts node {@code k} off from every other node, in both directions; clients (this JVM) still reach every
     * node. Established connections between nodes stop carrying packets; nothing is reset.
     */
    void isolate(int k);

    /** Undoes every {@link #isolate}. */
    void heal();

    /** One line for logs and reports. */
    String describe();

    @Override
    void close();
}
