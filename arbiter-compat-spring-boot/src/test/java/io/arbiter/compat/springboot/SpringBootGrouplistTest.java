package io.arbiter.compat.springboot;

import io.arbiter.compat.server.ArbiterEndpoint;
import io.arbiter.compat.server.ArbiterProcess;
import java.util.Map;

/** One Arbiter node with its defaults, named in {@code seata.service.grouplist.default} (file registry). */
class SpringBootGrouplistTest extends StarterScenarios {
    @Override
    protected AutoCloseable startArbiter() throws Exception {
        return ArbiterProcess.start("spring-grouplist", Map.of());
    }

    @Override
    protected ArbiterEndpoint xidSource(AutoCloseable arbiter) {
        return (ArbiterProcess) arbiter;
    }

    @Override
    protected Map<String, String> discovery(AutoCloseable arbiter) {
        return Map.of(
                "seata.registry.type", "file", "seata.service.grouplist.default", ((ArbiterProcess) arbiter).address());
    }
}
