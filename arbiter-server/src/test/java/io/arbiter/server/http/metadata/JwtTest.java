package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwtTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final Jwt jwt = new Jwt(AuthTest.AUTH.signingKey(), clock);

    @Test
    void verifiesItsOwnTokensUntilTheyExpire() {
        String token = jwt.sign("seata", Duration.ofMinutes(30));
        assertThat(jwt.verify(token)).hasValue("seata");
        clock.advance(Duration.ofMinutes(29));
        assertThat(jwt.verify(token)).hasValue("seata");
        clock.advance(Duration.ofMinutes(1));
        assertThat(jwt.verify(token)).isEmpty();
    }

    @Test
    void rejectsOtherKeysAlgorithmsAndGarbage() {
        String token = jwt.sign("seata", Duration.ofMinutes(30));
        Jwt other = new Jwt(new byte[32], clock);
        assertThat(other.verify(token)).isEmpty();

        String[] parts = token.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(jwt.verify(none + "." + parts[1] + ".")).isEmpty();
        assertThat(jwt.verify(none + "." + parts[1] + "." + parts[2])).isEmpty();
        assertThat(jwt.verify("")).isEmpty();
        assertThat(jwt.verify("a.b")).isEmpty();
        assertThat(jwt.verify("!!.??.**")).isEmpty();
        assertThat(jwt.verify(parts[0] + "." + parts[1] + "x." + parts[2])).isEmpty();
    }

    /** RFC 7515 appendix A.1: HS256 over the example's signing input. */
    @Test
    void matchesTheRfc7515Example() {
        byte[] key = Base64.getUrlDecoder().decode(
                "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
        String header = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
        String payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        String signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        Jwt rfc = new Jwt(key, clock);
        assertThat(rfc.mac(header + "." + payload)).isEqualTo(Base64.getUrlDecoder().decode(signature));
        assertThat(rfc.verify(header + "." + payload + "." + signature)).isEmpty(); // expired in 2011, no "sub"
    }
}
