package io.arbiter.compat.seata20;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.TmTccScenarios;

class Seata20TmTccTest extends TmTccScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata20Client();
    }
}
