package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.AtScenarios;

class Seata25AtTest extends AtScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
