package io.arbiter.compat.springsaga;

import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.ha.LoopbackNetwork;
import io.arbiter.compat.server.Health;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Three Arbiter processes with 8 fragments, found through Seata's raft registry: the coordinator's phase two for the
 * saga reaches the application's saga RM from whichever node leads the transaction's fragment.
 */
class SpringBootSagaRaftRegistryTest extends SagaScenarios {
    @Override
    protected AutoCloseable startArbiter() throws Exception {
        return ArbiterCluster.start(
                "spring-saga-raft",
                LoopbackNetwork.create(3),
                Discovery.RAFT_REGISTRY,
                Map.of("arbiter.fragments", "8"));
    }

    @Override
    protected Map<String, String> discovery(AutoCloseable arbiter) {
        return Map.of(
                "seata.registry.type",
                "raft",
                "seata.registry.raft.server-addr",
                ((ArbiterCluster) arbiter).registryAddresses());
    }

    @Override
    protected String xidPattern(AutoCloseable arbiter) {
        return "^[0-9.]+:[0-9]+:[1-9][0-9]*$"; // any node may hand out the XID; each names its own node
    }

    @Override
    protected List<Optional<Health.Report>> health(AutoCloseable arbiter) {
        return ((ArbiterCluster) arbiter).health();
    }
}
