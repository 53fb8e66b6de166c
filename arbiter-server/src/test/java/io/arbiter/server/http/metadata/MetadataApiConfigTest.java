package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetadataApiConfigTest {
    @Test
    void openHasDefaultsAndNoAuth() {
        MetadataApiConfig c = MetadataApiConfig.open();
        assertThat(c.authEnabled()).isFalse();
        assertThat(c.tokenValidity()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.watchTimeout()).isEqualTo(Duration.ofSeconds(28));
        assertThat(c.leaderChoice()).isEqualTo(LeaderChoice.CLIENT_ADDRESS);
    }

    @Test
    void authNeedsAPasswordAndABase64SecretOfAtLeast32Bytes() {
        assertThat(AuthTest.AUTH.authEnabled()).isTrue();
        assertThat(AuthTest.AUTH.signingKey()).hasSizeGreaterThanOrEqualTo(32);
        assertThatThrownBy(() -> new MetadataApiConfig("u", null, AuthTest.SECRET, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password");
        assertThatThrownBy(() -> new MetadataApiConfig("u", "p", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secretKey");
        assertThatThrownBy(() -> new MetadataApiConfig("u", "p", "c2hvcnQ=", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new MetadataApiConfig("u", "p", "not base64 at all!", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> new MetadataApiConfig(" ", "p", AuthTest.SECRET, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void watchTimeoutStaysBelowTheClientsSocketTimeout() {
        assertThatThrownBy(() -> MetadataApiConfig.open().withWatchTimeout(Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetadataApiConfig.open().withWatchTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MetadataApiConfig.open()
                        .withWatchTimeout(Duration.ofSeconds(29))
                        .watchTimeout())
                .isEqualTo(Duration.ofSeconds(29));
    }

    @Test
    void toStringHidesSecrets() {
        assertThat(AuthTest.AUTH.toString())
                .doesNotContain("s3cret")
                .doesNotContain(AuthTest.SECRET)
                .contains("seata");
    }
}
