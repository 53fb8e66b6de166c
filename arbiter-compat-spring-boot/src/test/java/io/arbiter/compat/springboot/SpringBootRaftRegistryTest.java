package io.arbiter.compat.springboot;

import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.server.ArbiterEndpoint;
import java.util.Map;

/**
 * Three Arbiter processes with 8 fragments, found through Seata's raft registry ({@code seata.registry.type=raft}
 * and the nodes' HTTP addresses): the application's rows fall in other fragments than its transactions.
 */
class SpringBootRaftRegistryTest extends StarterScenarios {
    @Override
    protected AutoCloseable startArbiter() throws Exception {
        return Arbiters.cluster("spring-raft");
    }

    @Override
    protected ArbiterEndpoint xidSource(AutoCloseable arbiter) {
        return null; // any node may hand out the XID; each names its own node
    }

    @Override
    protected Map<String, String> discovery(AutoCloseable arbiter) {
        return Arbiters.raftRegistry((ArbiterCluster) arbiter);
    }
}
