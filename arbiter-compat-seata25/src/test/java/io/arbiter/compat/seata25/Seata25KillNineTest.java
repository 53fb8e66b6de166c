package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.KillNineScenario;

class Seata25KillNineTest extends KillNineScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
