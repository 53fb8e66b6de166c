package io.arbiter.server.config;

/** A configuration value is missing, unknown or invalid; the message names the key. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String reason) {
        super("configuration key '" + key + "': " + reason);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
