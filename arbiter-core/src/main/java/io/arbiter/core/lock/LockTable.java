package io.arbiter.core.lock;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Global row locks: row key → owning transaction id, partitioned into {@value #SLOTS} slots by a stable hash
 * so that slots can later be assigned to different fragments.
 */
public final class LockTable {
    public static final int SLOTS = 16384;

    @SuppressWarnings("unchecked")
    private final Map<String, Long>[] slots = new Map[SLOTS];
    private int size;

    /** The slot of a row key: a stable function of its UTF-16 content ({@link String#hashCode} is specified). */
    public static int slotOf(String rowKey) {
        int h = rowKey.hashCode();
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    /** The transaction holding {@code rowKey}, or 0 if none. */
    public long holder(String rowKey) {
        Map<String, Long> slot = slots[slotOf(rowKey)];
        if (slot == null) {
            return 0;
        }
        Long owner = slot.get(rowKey);
        return owner == null ? 0 : owner;
    }

    /** The first row among {@code rowKeys} held by a transaction other than {@code transactionId}, or null. */
    public String firstConflict(long transactionId, List<String> rowKeys) {
        for (String row : rowKeys) {
            long owner = holder(row);
            if (owner != 0 && owner != transactionId) {
                return row;
            }
        }
        return null;
    }

    /** Locks every row for {@code transactionId}; the caller has checked {@link #firstConflict} first. */
    public void lockAll(long transactionId, List<String> rowKeys) {
        for (String row : rowKeys) {
            int s = slotOf(row);
            if (slots[s] == null) {
                slots[s] = new HashMap<>();
            }
            if (slots[s].put(row, transactionId) == null) {
                size++;
            }
        }
    }

    /** Releases the rows that {@code transactionId} holds among {@code rowKeys}. */
    public void releaseAll(long transactionId, List<String> rowKeys) {
        for (String row : rowKeys) {
            Map<String, Long> slot = slots[slotOf(row)];
            if (slot != null && slot.remove(row, transactionId)) {
                size--;
            }
        }
    }

    /** Number of locked rows. */
    public int size() {
        return size;
    }

    /** Visits every (row, owner) pair; for invariant checks. */
    public void forEach(java.util.function.BiConsumer<String, Long> visitor) {
        for (Map<String, Long> slot : slots) {
            if (slot != null) {
                slot.forEach(visitor);
            }
        }
    }
}
