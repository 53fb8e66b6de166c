package io.arbiter.compat.soak;

import io.arbiter.compat.ha.ClusterNetwork;
import io.arbiter.compat.ha.LoopbackNetwork;
import io.arbiter.compat.ha.NamespaceNetwork;

/**
 * Where the soak's nodes run: in network namespaces when partitions are asked for and this JVM can make them
 * (root and iproute2), so that a node can be cut off; otherwise on loopback, where partitions are skipped and
 * {@link #note} says why.
 *
 * @param network    the network of the cluster
 * @param partitions whether a node can be cut off
 * @param note       why partitions are skipped, or "" when they are not
 */
public record SoakNetwork(ClusterNetwork network, boolean partitions, String note) {
    public static SoakNetwork create(SoakSettings settings, int nodes) {
        if (!settings.events().contains(EventKind.PARTITION)) {
            return new SoakNetwork(LoopbackNetwork.create(nodes), false, "partitions not asked for");
        }
        try {
            NamespaceNetwork.requireRootAndIp();
            return new SoakNetwork(NamespaceNetwork.create(nodes), true, "");
        } catch (IllegalStateException e) {
            return new SoakNetwork(
                    LoopbackNetwork.create(nodes), false, "partitions skipped: " + e.getMessage() + "; loopback used");
        }
    }
}
