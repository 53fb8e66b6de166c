package io.arbiter.server.http.metadata;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Seata 2.1+ console authentication: a login with the configured user issues {@code "Bearer <jwt>"}; protected
 * requests carry it in {@code Authorization: Bearer <jwt>} or the {@code access_token} query parameter. Off when
 * {@link MetadataApiConfig#authEnabled()} is false.
 *
 * <p>Threading: immutable and thread-safe.
 */
public final class Authenticator {
    static final String BEARER = "Bearer ";
    static final String ACCESS_TOKEN_PARAM = "access_token";

    private final MetadataApiConfig config;
    private final Jwt jwt;

    public Authenticator(MetadataApiConfig config, Clock clock) {
        this.config = config;
        this.jwt = config.authEnabled() ? new Jwt(config.signingKey(), clock) : null;
    }

    public boolean enabled() {
        return jwt != null;
    }

    /** {@code "Bearer <jwt>"} for the configured credentials; empty for others. Auth must be enabled. */
    Optional<String> login(String username, String password) {
        boolean ok = equal(username, config.username()) & equal(password, config.password()); // no short cut
        return ok ? Optional.of(BEARER + jwt.sign(config.username(), config.tokenValidity())) : Optional.empty();
    }

    /** Whether {@code request} may use protected paths. */
    public boolean authorized(FullHttpRequest request) {
        if (!enabled()) {
            return true;
        }
        return token(request)
                .flatMap(jwt::verify)
                .filter(config.username()::equals)
                .isPresent();
    }

    /** The logged-in user a request's valid token names; empty without one (or with authentication off). */
    public Optional<String> user(FullHttpRequest request) {
        if (!enabled()) {
            return Optional.empty();
        }
        return token(request).flatMap(jwt::verify).filter(config.username()::equals);
    }

    private static Optional<String> token(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(header.substring(BEARER.length()).trim());
        }
        List<String> param = new QueryStringDecoder(request.uri()).parameters().get(ACCESS_TOKEN_PARAM);
        return param == null || param.isEmpty()
                ? Optional.empty()
                : Optional.of(param.get(0).trim());
    }

    private static boolean equal(String given, String expected) {
        return given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
