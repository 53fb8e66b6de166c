package io.arbiter.compat.seata20;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.TmTccScenarios;

/**
 * The TM + TCC scenarios with the Seata 2.0.0 client, run by the subclasses: one node with four fragments
 * ({@code Seata20FragmentsTest}) and three nodes with eight (the {@code Cluster} classes). One node with the
 * default single fragment is the 2.5 client's {@code Seata25OneNodeTest}; for this client line, {@code Seata20KillNineTest}
 * runs on it (the client sees no difference: fragments live behind the same protocol).
 */
abstract class Seata20TmTccTest extends TmTccScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata20Client();
    }
}
