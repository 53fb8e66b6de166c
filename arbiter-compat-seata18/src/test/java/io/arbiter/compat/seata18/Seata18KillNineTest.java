package io.arbiter.compat.seata18;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.KillNineScenario;

class Seata18KillNineTest extends KillNineScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata18Client();
    }
}
