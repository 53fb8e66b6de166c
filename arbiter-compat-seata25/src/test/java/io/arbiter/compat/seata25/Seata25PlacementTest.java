package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.PlacementScenario;

/** Automatic placement (joins, a death, a drain) under load from the real Seata 2.5 client. */
class Seata25PlacementTest extends PlacementScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
