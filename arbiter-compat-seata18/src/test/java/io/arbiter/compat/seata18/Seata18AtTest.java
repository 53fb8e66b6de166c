package io.arbiter.compat.seata18;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.AtScenarios;

class Seata18AtTest extends AtScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata18Client();
    }
}
