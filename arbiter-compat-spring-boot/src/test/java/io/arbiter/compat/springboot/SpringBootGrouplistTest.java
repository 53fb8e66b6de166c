package io.arbiter.compat.springboot;

import io.arbiter.compat.server.ArbiterEndpoint;
import io.arbiter.compat.server.ArbiterProcess;
import java.util.Map;

/** One Arbiter node with its defaults, named in {@code seata.service.grouplist.default} (file registry). */
class SpringBootGrouplistTest extends StarterScenarios {
    @Override
    protected AutoCloseable startArbiter() throws Exception {
        return Arbiters.node("spring-grouplist");
    }

    @Override
    protected ArbiterEndpoint xidSource(AutoCloseable arbiter) {
        return (ArbiterProcess) arbiter;
    }

    @Override
    protected Map<String, String> discovery(AutoCloseable arbiter) {
        return Arbiters.grouplist((ArbiterProcess) arbiter);
    }
}
