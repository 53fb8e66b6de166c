package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.scenario.FailoverScenario;

/** Leader killed under load; the client lists every node in {@code service.default.grouplist}. */
class Seata25FailoverTest extends FailoverScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }

    @Override
    protected Discovery discovery() {
        return Discovery.STATIC_GROUPLIST;
    }
}
