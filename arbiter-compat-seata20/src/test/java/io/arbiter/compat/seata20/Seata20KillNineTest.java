package io.arbiter.compat.seata20;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.KillNineScenario;

/**
 * Kill -9 and restart of a one-node coordinator with open TCC + AT transactions, from the Seata 2.0 client. The same
 * scenario on a node split into four fragments runs with the 2.5 client ({@code Seata25KillNineFragmentsTest}; what
 * the client sees does not depend on the fragments), and this client's work against four fragments is covered by
 * {@code Seata20FragmentsTest}.
 */
class Seata20KillNineTest extends KillNineScenario {
    @Override
    protected CompatClient newClient() {
        return new Seata20Client();
    }
}
