package io.arbiter.server.http.metadata;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Settings of the Seata-compatible metadata API, validated at construction.
 *
 * <p>Authentication is on when {@code username} is set (Seata's {@code console.user.username/password}); then
 * {@code password} and {@code secretKey} are required. {@code secretKey} is Seata's {@code seata.security.secretKey}:
 * base64 text of at least 32 bytes, used as the HS256 key. A client logs in at one node and sends the token to all
 * of them, so every node of a cluster must have the same secret. {@code tokenValidity} is Seata's
 * {@code seata.security.tokenValidityInMilliseconds} (default 30 min; clients refresh after 29 min by default).
 *
 * <p>{@code watchTimeout} is how long a {@code /metadata/v1/watch} long poll is held before 304 (default 28 s as in
 * Seata); it is also the upper bound for the request's own {@code timeout} parameter, and at most 29 s because the
 * Seata client gives up on the socket after 30 s. {@code leaderChoice} is which node the metadata marks as leader
 * (see the package documentation).
 */
public record MetadataApiConfig(
        String username,
        String password,
        String secretKey,
        Duration tokenValidity,
        Duration watchTimeout,
        LeaderChoice leaderChoice) {
    public static final Duration DEFAULT_TOKEN_VALIDITY = Duration.ofMinutes(30);
    public static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofSeconds(28);
    public static final Duration MAX_WATCH_TIMEOUT = Duration.ofSeconds(29);
    private static final int MIN_KEY_BYTES = 32;

    public MetadataApiConfig {
        tokenValidity = tokenValidity == null ? DEFAULT_TOKEN_VALIDITY : tokenValidity;
        watchTimeout = watchTimeout == null ? DEFAULT_WATCH_TIMEOUT : watchTimeout;
        leaderChoice = leaderChoice == null ? LeaderChoice.CLIENT_ADDRESS : leaderChoice;
        if (tokenValidity.isNegative() || tokenValidity.isZero()) {
            throw new IllegalArgumentException("tokenValidity must be positive, got " + tokenValidity);
        }
        if (watchTimeout.isNegative() || watchTimeout.isZero() || watchTimeout.compareTo(MAX_WATCH_TIMEOUT) > 0) {
            throw new IllegalArgumentException("watchTimeout must be in (0, " + MAX_WATCH_TIMEOUT.toSeconds()
                    + " s] (Seata clients time out after 30 s), got " + watchTimeout);
        }
        if (username != null) {
            if (username.isBlank()) {
                throw new IllegalArgumentException("username must not be blank (null turns authentication off)");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("a password is required when a username is set");
            }
            keyBytes(secretKey);
        }
    }

    /** Authentication on, other settings default. */
    public MetadataApiConfig(String username, String password, String secretKey, Duration tokenValidity) {
        this(username, password, secretKey, tokenValidity, null, null);
    }

    /** No authentication: {@code /metadata/v1/**} is open, as in Seata before 2.1. */
    public static MetadataApiConfig open() {
        return new MetadataApiConfig(null, null, null, null, null, null);
    }

    public boolean authEnabled() {
        return username != null;
    }

    public MetadataApiConfig withWatchTimeout(Duration timeout) {
        return new MetadataApiConfig(username, password, secretKey, tokenValidity, timeout, leaderChoice);
    }

    public MetadataApiConfig withLeaderChoice(LeaderChoice choice) {
        return new MetadataApiConfig(username, password, secretKey, tokenValidity, watchTimeout, choice);
    }

    /** The HS256 key: {@code secretKey} base64-decoded, as Seata does. */
    byte[] signingKey() {
        return keyBytes(secretKey);
    }

    private static byte[] keyBytes(String secretKey) {
        if (secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("a secretKey is required when a username is set");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secretKey.trim().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "secretKey must be base64 text (as Seata's seata.security.secretKey)", e);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "secretKey must decode to at least " + MIN_KEY_BYTES + " bytes for HS256, got " + key.length);
        }
        return key;
    }

    @Override
    public String toString() {
        return "MetadataApiConfig[username=" + username + ", password=" + (password == null ? null : "***")
                + ", secretKey=" + (secretKey == null ? null : "***") + ", tokenValidity=" + tokenValidity
                + ", watchTimeout=" + watchTimeout + ", leaderChoice=" + leaderChoice + "]";
    }
}
