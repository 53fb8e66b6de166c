package io.arbiter.compat.seata25;

import java.util.Map;

/** The same kill -9 run under AT + TCC load on three nodes whose state is split into eight fragments. */
class Seata25FragmentsFailoverTest extends Seata25FailoverTest {
    @Override
    protected Map<String, String> serverSettings() {
        return Map.of("arbiter.fragments", "8");
    }
}
