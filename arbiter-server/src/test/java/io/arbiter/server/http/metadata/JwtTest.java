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
        String none = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(jwt.verify(none + "." + parts[1] + ".")).isEmpty();
        assertThat(jwt.verify(none + "." + parts[1] + "." + parts[2])).isEmpty();
        assertThat(jwt.verify("")).isEmpty();
        assertThat(jwt.verify("a.b")).isEmpty();
        assertThat(jwt.verify("!!.??.**")).isEmpty();
        assertThat(jwt.verify(parts[0] + "." + parts[1] + "x." + parts[2])).isEmpty();
    }

    /** A token signed by another HS256 implementation (the JDK's Mac, as RFC 7515 A.1 computes it) is accepted. */
    @Test
    void acceptsAnHs256TokenSignedElsewhere() throws Exception {
        byte[] key = AuthTest.AUTH.signingKey();
        java.util.Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long exp = clock.millis() / 1000 + 600;
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(
                ("{\"sub\":\"ops\",\"auth\":\"\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        String signature =
                b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        assertThat(jwt.verify(header + "." + payload + "." + signature)).hasValue("ops");
        assertThat(jwt.verify(header + "." + payload + "." + signature.substring(1) + "A"))
                .isEmpty();
    }
}
