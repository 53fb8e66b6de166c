package io.arbiter.compat.seata20;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.ha.Discovery;
import io.arbiter.compat.scenario.FailoverScenario;

/**
 * Leader killed under load, Seata 2.0 client with a grouplist of every node. Not part of {@code mvn verify} (the
 * name does not end in Test; the 2.5 line covers the short version): run it with {@code bin/chaos --client 2.0}.
 */
class Seata20FailoverChaos extends FailoverScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata20Client();
    }

    @Override
    protected Discovery discovery() {
        return Discovery.STATIC_GROUPLIST;
    }
}
