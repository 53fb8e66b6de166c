package io.arbiter.compat.soak;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.server.ArbiterEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cluster as the soak's Seata client is configured for it: the cluster's own client settings plus, with the
 * raft registry, the console user ({@code registry.raft.username} / {@code password}): the soak's nodes have a
 * console user, so their metadata API asks for the login, as Seata's server 2.1+ does.
 */
public record LoggedInClientView(ArbiterCluster cluster) implements ArbiterEndpoint, ClientSettings.Source {
    @Override
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>(cluster.clientProperties());
        if (cluster.discovery() == Discovery.RAFT_REGISTRY) {
            p.put("registry.raft.username", ClusterOps.USER);
            p.put("registry.raft.password", ClusterOps.PASSWORD);
        }
        return p;
    }

    @Override
    public String host() {
        return cluster.host();
    }

    @Override
    public int port() {
        return cluster.port();
    }

    @Override
    public int httpPort() {
        return cluster.httpPort();
    }
}
