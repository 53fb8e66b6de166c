package io.arbiter.core.lock;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses Seata lock keys ({@code table1:pk1,pk2;table2:pk3}) into row keys {@code resource^^^table^^^pk}.
 */
public final class LockKeys {
    private static final String SEPARATOR = "^^^";

    private LockKeys() {}

    /**
     * The distinct row keys named by a lock key, in order.
     *
     * @throws IllegalArgumentException if the lock key is malformed
     */
    public static List<String> rowKeys(String resourceId, String lockKey) {
        if (lockKey == null || lockKey.isBlank()) {
            return List.of();
        }
        Set<String> rows = new LinkedHashSet<>();
        for (String tablePart : lockKey.split(";")) {
            if (tablePart.isBlank()) {
                continue;
            }
            int colon = tablePart.indexOf(':');
            if (colon <= 0 || colon == tablePart.length() - 1) {
                throw new IllegalArgumentException("malformed lock key part '" + tablePart + "'");
            }
            String table = tablePart.substring(0, colon);
            for (String pk : tablePart.substring(colon + 1).split(",")) {
                if (!pk.isEmpty()) {
                    rows.add(resourceId + SEPARATOR + table + SEPARATOR + pk);
                }
            }
        }
        return new ArrayList<>(rows);
    }
}
