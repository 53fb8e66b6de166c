package io.arbiter.server.http.metadata;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Compact JWS tokens signed with HS256 (RFC 7515/7519) through Auth0's java-jwt, the way Seata's console issues
 * them: subject = user name, claim {@code auth=""}, {@code iat}, {@code exp} = now + validity, in seconds.
 *
 * <p>Threading: immutable and thread-safe (the library's algorithm and verifier are).
 */
final class Jwt {
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Clock clock;

    Jwt(byte[] key, Clock clock) {
        this.algorithm = Algorithm.HMAC256(key.clone());
        this.clock = clock;
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                        .withClaimPresence("sub")
                        .withClaimPresence("exp")
                        .acceptLeeway(0))
                .build(clock);
    }

    String sign(String subject, Duration validity) {
        Instant now = Instant.ofEpochSecond(clock.millis() / 1000);
        return JWT.create()
                .withSubject(subject)
                .withClaim("auth", "")
                .withIssuedAt(now)
                .withExpiresAt(now.plusSeconds(Math.max(1, validity.toSeconds())))
                .sign(algorithm);
    }

    /** The token's subject if it is well-formed, HS256-signed with our key and not expired. */
    Optional<String> verify(String token) {
        try {
            return Optional.ofNullable(verifier.verify(token).getSubject());
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
