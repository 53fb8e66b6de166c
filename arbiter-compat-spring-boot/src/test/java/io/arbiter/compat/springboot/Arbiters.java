package io.arbiter.compat.springboot;

import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.ha.LoopbackNetwork;
import io.arbiter.compat.server.ArbiterProcess;
import java.util.Map;

/**
 * The two Arbiter set-ups the Spring Boot applications run against, and the {@code seata.*} properties that point an
 * application at each: one node named in a grouplist, or three nodes with 8 fragments found by the raft registry.
 */
public final class Arbiters {
    private Arbiters() {}

    /** One node with its defaults. */
    public static ArbiterProcess node(String name) throws Exception {
        return ArbiterProcess.start(name, Map.of());
    }

    /** The file registry with the node in {@code seata.service.grouplist.default}. */
    public static Map<String, String> grouplist(ArbiterProcess node) {
        return Map.of("seata.registry.type", "file", "seata.service.grouplist.default", node.address());
    }

    /** Three node processes with 8 fragments. */
    public static ArbiterCluster cluster(String name) throws Exception {
        return ArbiterCluster.start(
                name, LoopbackNetwork.create(3), Discovery.RAFT_REGISTRY, Map.of("arbiter.fragments", "8"));
    }

    /** Seata's raft registry with the nodes' HTTP addresses. */
    public static Map<String, String> raftRegistry(ArbiterCluster cluster) {
        return Map.of("seata.registry.type", "raft", "seata.registry.raft.server-addr", cluster.registryAddresses());
    }

    /** Closes each part that was made, in the order given (the application before Arbiter before its database). */
    public static void closeInOrder(AutoCloseable... parts) throws Exception {
        for (AutoCloseable part : parts) {
            if (part != null) {
                part.close();
            }
        }
    }
}
