package io.arbiter.compat.springsaga;

import io.arbiter.compat.ha.ArbiterCluster;
import io.arbiter.compat.server.Health;
import io.arbiter.compat.springboot.Arbiters;
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
        return Arbiters.cluster("spring-saga-raft");
    }

    @Override
    protected Map<String, String> discovery(AutoCloseable arbiter) {
        return Arbiters.raftRegistry((ArbiterCluster) arbiter);
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
