package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.PartitionScenario;

/** The leader cut off from the other nodes (network namespaces; needs root) while the majority keeps serving. */
class Seata25PartitionTest extends PartitionScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
