package io.arbiter.compat.seata20;

import java.util.Map;

/** The same scenarios against a node whose state is split into four fragments (Raft groups). */
class Seata20KillNineFragmentsTest extends Seata20KillNineTest {
    @Override
    protected Map<String, String> serverSettings() {
        return Map.of("arbiter.fragments", "4");
    }
}
