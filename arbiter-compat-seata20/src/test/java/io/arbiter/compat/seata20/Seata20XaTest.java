package io.arbiter.compat.seata20;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.XaScenarios;

class Seata20XaTest extends XaScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata20Client();
    }
}
