package io.arbiter.compat.seata18;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.AtScenarios;

/**
 * The AT scenarios with the Seata 1.8.0 client, run by the subclasses: one node with four fragments
 * ({@code Seata18FragmentsTest}) and three nodes with eight (the {@code Cluster} classes). One node with the
 * default single fragment is the 2.5 client's {@code Seata25OneNodeTest}; for this client line, {@code Seata18KillNineTest}
 * runs on it (the client sees no difference: fragments live behind the same protocol).
 */
abstract class Seata18AtTest extends AtScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata18Client();
    }
}
