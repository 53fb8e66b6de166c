package io.arbiter.compat.springsaga;

import io.arbiter.compat.server.ArbiterProcess;
import io.arbiter.compat.server.Health;
import io.arbiter.compat.springboot.Arbiters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One Arbiter node with its defaults, named in {@code seata.service.grouplist.default} (file registry). */
class SpringBootSagaGrouplistTest extends SagaScenarios {
    @Override
    protected AutoCloseable startArbiter() throws Exception {
        return Arbiters.node("spring-saga");
    }

    @Override
    protected Map<String, String> discovery(AutoCloseable arbiter) {
        return Arbiters.grouplist((ArbiterProcess) arbiter);
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
