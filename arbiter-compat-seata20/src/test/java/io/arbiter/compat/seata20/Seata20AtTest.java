package io.arbiter.compat.seata20;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.AtScenarios;

class Seata20AtTest extends AtScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata20Client();
    }
}
