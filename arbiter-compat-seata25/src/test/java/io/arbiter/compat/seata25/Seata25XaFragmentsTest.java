package io.arbiter.compat.seata25;

import java.util.Map;

/** The same scenarios against a node whose state is split into four fragments (Raft groups). */
class Seata25XaFragmentsTest extends Seata25XaTest {
    @Override
    protected Map<String, String> serverSettings() {
        return Map.of("arbiter.fragments", "4");
    }
}
