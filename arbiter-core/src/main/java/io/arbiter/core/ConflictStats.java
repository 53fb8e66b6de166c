package io.arbiter.core;

import io.arbiter.core.view.ContendedTable;
import io.arbiter.core.view.LockView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refused lock requests counted per row and per table since this replica started. Kept out of snapshots on
 * purpose: statistics, not transaction state (a replica restored from a snapshot counts from zero). At most
 * {@link #MAX_ROWS} rows are tracked; when full, a new row replaces the least refused one, so the most contended
 * rows stay.
 */
final class ConflictStats {
    static final int MAX_ROWS = 4096;

    private final Map<String, Long> rows = new HashMap<>();
    private final Map<String, Long> tables = new HashMap<>();

    void count(String rowKey) {
        String[] parts = LockView.split(rowKey);
        tables.merge(parts[0] + "^^^" + parts[1], 1L, Long::sum);
        if (!rows.containsKey(rowKey) && rows.size() >= MAX_ROWS) {
            rows.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(e -> rows.remove(e.getKey()));
        }
        rows.merge(rowKey, 1L, Long::sum);
    }

    /** Tables, most refused first. */
    List<ContendedTable> tables() {
        List<ContendedTable> list = new ArrayList<>();
        tables.forEach((key, n) -> {
            String[] parts = LockView.split(key + "^^^");
            list.add(new ContendedTable(parts[0], parts[1], n));
        });
        list.sort(Comparator.comparingLong(ContendedTable::conflicts)
                .reversed()
                .thenComparing(ContendedTable::resourceId)
                .thenComparing(ContendedTable::tableName));
        return list;
    }

    /** The {@code limit} most refused rows with their counts, most first (ties by row key). */
    List<Map.Entry<String, Long>> top(int limit) {
        return rows.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(Math.max(0, limit))
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
    }
}
