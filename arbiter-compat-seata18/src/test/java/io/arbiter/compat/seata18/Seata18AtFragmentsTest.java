package io.arbiter.compat.seata18;

import java.util.Map;

/** The same scenarios against a node whose state is split into four fragments (Raft groups). */
class Seata18AtFragmentsTest extends Seata18AtTest {
    @Override
    protected Map<String, String> serverSettings() {
        return Map.of("arbiter.fragments", "4");
    }
}
