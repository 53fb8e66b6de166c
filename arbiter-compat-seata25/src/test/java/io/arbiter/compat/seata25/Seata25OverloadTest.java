package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.OverloadScenario;

/** 1×, 3× and 10× the load the cluster can take, from the real Seata 2.5 client (issue 13 item 1). */
class Seata25OverloadTest extends OverloadScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
