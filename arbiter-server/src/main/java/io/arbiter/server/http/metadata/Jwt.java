package io.arbiter.server.http.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact JWS tokens signed with HS256 (RFC 7515/7519), the way Seata's console issues them: subject = user name,
 * claim {@code auth=""}, {@code exp} = now + validity, in seconds.
 *
 * <p>Threading: immutable and thread-safe (a Mac per call).
 */
final class Jwt {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private final SecretKeySpec key;
    private final Clock clock;

    Jwt(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.clock = clock;
    }

    String sign(String subject, Duration validity) {
        long now = clock.millis() / 1000;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("auth", "");
        claims.put("iat", now);
        claims.put("exp", now + Math.max(1, validity.toSeconds()));
        String payload;
        try {
            payload = B64.encodeToString(Responses.JSON.writeValueAsBytes(claims));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String signingInput = HEADER + "." + payload;
        return signingInput + "." + B64.encodeToString(mac(signingInput));
    }

    /** The token's subject if it is well-formed, HS256-signed with our key and not expired. */
    Optional<String> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = Responses.JSON.readTree(B64D.decode(parts[0]));
            if (header == null || !"HS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            byte[] signature = B64D.decode(parts[2]);
            if (!MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
                return Optional.empty();
            }
            JsonNode claims = Responses.JSON.readTree(B64D.decode(parts[1]));
            if (claims == null || !claims.path("exp").canConvertToLong()
                    || claims.path("exp").asLong() * 1000 <= clock.millis() || !claims.path("sub").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(claims.get("sub").asText());
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** HMAC-SHA256 of {@code signingInput} with our key. */
    byte[] mac(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
