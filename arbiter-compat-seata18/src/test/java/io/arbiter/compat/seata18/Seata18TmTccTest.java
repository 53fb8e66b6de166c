package io.arbiter.compat.seata18;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.TmTccScenarios;

class Seata18TmTccTest extends TmTccScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata18Client();
    }
}
