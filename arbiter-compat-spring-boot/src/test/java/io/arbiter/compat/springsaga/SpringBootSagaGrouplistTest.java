package io.arbiter.compat.springsaga;

import io.arbiter.compat.server.ArbiterProcess;
import io.arbiter.compat.server.Health;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One Arbiter node with its defaults, named in {@code seata.service.grouplist.default} (file registry). */
class SpringBootSagaGrouplistTest extends SagaScenarios {
    @Override
    protected AutoCloseable startArbiter() throws Exception {
        return ArbiterProcess.start("spring-saga", Map.of());
    }

    @Override
    protected Map<String, String> discovery(AutoCloseable arbiter) {
        return Map.of(
                "seata.registry.type", "file", "seata.service.grouplist.default", ((ArbiterProcess) arbiter).address());
    }

    @Override
    protected String xidPattern(AutoCloseable arbiter) {
        return ((ArbiterProcess) arbiter).xidPattern();
    }

    @Override
    protected List<Optional<Health.Report>> health(AutoCloseable arbiter) {
        ArbiterProcess node = (ArbiterProcess) arbiter;
        return List.of(Health.report(node.host(), node.httpPort(), Duration.ofSeconds(2)));
    }
}
