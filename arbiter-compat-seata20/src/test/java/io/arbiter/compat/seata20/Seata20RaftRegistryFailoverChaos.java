package io.arbiter.compat.seata20;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.scenario.FailoverScenario;

/**
 * Leader killed under load, Seata 2.0 client with {@code registry.type=raft}. Not part of {@code mvn verify}: run
 * it with {@code bin/chaos --client 2.0}.
 */
class Seata20RaftRegistryFailoverChaos extends FailoverScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata20Client();
    }

    @Override
    protected Discovery discovery() {
        return Discovery.RAFT_REGISTRY;
    }
}
