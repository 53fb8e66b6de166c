package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.ConsoleScenarios;

/** The console's operations on transactions of the real Seata 2.5.0 client. */
class Seata25ConsoleTest extends ConsoleScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
