package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.XaScenarios;

class Seata25XaTest extends XaScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
