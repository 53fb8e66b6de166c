package io.arbiter.compat.seata18;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.XaScenarios;

class Seata18XaTest extends XaScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata18Client();
    }
}
