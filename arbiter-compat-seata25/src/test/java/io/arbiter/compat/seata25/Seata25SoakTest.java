package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.SoakScenario;

/**
 * The long soak with the Seata 2.5 client: skipped unless {@code -Dchaos.soak.minutes} is given
 * ({@code bin/chaos --soak MINUTES}).
 */
class Seata25SoakTest extends SoakScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
