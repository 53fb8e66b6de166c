package io.arbiter.compat.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void parsesTheHealthBody() {
        Health.Report r = Health.parse(true, "{\"status\":\"UP\",\"role\":\"leader\",\"transactions\":3,\"locks\":2}");
        assertThat(r.serving()).isTrue();
        assertThat(r.leader()).isTrue();
        assertThat(r.transactions()).isEqualTo(3);
        assertThat(r.locks()).isEqualTo(2);
        assertThat(Health.parse(false, "{\"status\":\"DOWN\",\"role\":\"follower\",\"transactions\":0,\"locks\":0}")
                        .leader())
                .isFalse();
    }
}
