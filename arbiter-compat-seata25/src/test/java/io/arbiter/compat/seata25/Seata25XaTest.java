package io.arbiter.compat.seata25;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.scenario.XaScenarios;

/**
 * The XA scenarios with the Seata 2.5 client (and, compiled again, the 2.1-2.3 clients of arbiter-compat-seata2x),
 * run by {@code Seata25OneNodeTest}, the {@code Cluster} classes and the {@code Fragments} class.
 */
abstract class Seata25XaTest extends XaScenarios {
    @Override
    protected CompatClient newClient() {
        return new Seata25Client();
    }
}
