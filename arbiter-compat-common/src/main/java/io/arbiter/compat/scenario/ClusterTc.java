package io.arbiter.compat.scenario;

import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.ha.LoopbackNetwork;
import io.arbiter.compat.server.Settings;
import java.io.IOException;
import java.util.Map;

/**
 * The scenarios' coordinator as a cluster of real node processes on loopback whose state is split into fragments,
 * reached by the client through every node's address (a grouplist) or through Seata's raft registry.
 */
public final class ClusterTc {
    private ClusterTc() {}

    /**
     * Starts {@code nodes} node processes with {@code fragments} fragments and the scenario's {@code settings};
     * returns once every node serves and the cluster has a leader.
     */
    public static ArbiterCluster start(
            String name, int nodes, int fragments, Discovery discovery, Map<String, String> settings)
            throws IOException {
        return ArbiterCluster.start(
                name,
                LoopbackNetwork.create(nodes),
                discovery,
                Settings.merge(settings, Map.of("arbiter.fragments", String.valueOf(fragments))));
    }
}
