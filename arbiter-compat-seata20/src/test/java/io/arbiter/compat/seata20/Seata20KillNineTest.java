package io.arbiter.compat.seata20;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.KillNineScenario;

class Seata20KillNineTest extends KillNineScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata20Client();
    }
}
