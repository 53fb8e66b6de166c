package io.arbiter.compat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InProcessArbiterTest {

    @Test
    void startsOnFreePortsAndAnswersHealth() throws Exception {
        try (InProcessArbiter a = InProcessArbiter.start(Map.of("arbiter.retry-backoff-ms", "200"))) {
            assertThat(a.port()).isPositive().isNotEqualTo(a.httpPort());
            assertThat(Health.probe(a.httpPort())).isPresent();
            assertThat("127.0.0.1:" + a.port() + ":42").matches(a.xidPattern());
            assertThat("127.0.0.1:" + (a.port() + 1) + ":42").doesNotMatch(a.xidPattern());
        }
    }
}
