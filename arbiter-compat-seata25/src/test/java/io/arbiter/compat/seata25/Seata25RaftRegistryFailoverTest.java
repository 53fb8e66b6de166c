package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.scenario.FailoverScenario;

/** Leader killed under load; the client finds the nodes through Seata's raft registry ({@code registry.type=raft}). */
class Seata25RaftRegistryFailoverTest extends FailoverScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }

    @Override
    protected Discovery discovery() {
        return Discovery.RAFT_REGISTRY;
    }
}
