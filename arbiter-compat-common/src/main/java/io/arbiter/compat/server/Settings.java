package io.arbiter.compat.server;

import java.util.LinkedHashMap;
import java.util.Map;

/** Server settings as the scenarios combine them. */
public final class Settings {
    private Settings() {}

    /** {@code base} with {@code over} put over it (later wins), in order. */
    public static Map<String, String> merge(Map<String, String> base, Map<String, String> over) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(over);
        return all;
    }
}
