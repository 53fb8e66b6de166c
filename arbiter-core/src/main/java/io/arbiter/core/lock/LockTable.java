package io.arbiter.core.lock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Global row locks of one fragment: row key → holding transaction id, partitioned into {@value #SLOTS} slots by a
 * stable hash; the cluster map assigns slots to fragments, and a row is locked in the fragment owning its slot.
 *
 * <p>Two kinds of holders. A transaction of this fragment holds the rows of its branches ({@link #lockAll},
 * {@link #releaseAll}; the rows are derived from the branches on restore). A transaction of another fragment
 * ("foreign") holds rows taken with {@link #acquireForeign}; the table keeps a {@link ForeignHolder} record for it
 * (XID, time of the latest acquisition, rows), forgotten when its last row is released.
 */
public final class LockTable {
    public static final int SLOTS = 16384;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type can only be made raw
    private final Map<String, Long>[] slots = new Map[SLOTS];

    private final ForeignHolders foreign = new ForeignHolders();
    private int size;

    /**
     * The slot of a row key: a stable function of its UTF-16 content ({@link String#hashCode} is specified). A
     * contract between nodes and versions (pinned by {@code LockSlotGoldenTest}).
     */
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

    /** Locks every row for a transaction of this fragment; the caller has checked {@link #firstConflict} first. */
    public void lockAll(long transactionId, List<String> rowKeys) {
        for (String row : rowKeys) {
            put(row, transactionId);
        }
    }

    /** Releases the rows that a transaction of this fragment holds among {@code rowKeys}. */
    public void releaseAll(long transactionId, List<String> rowKeys) {
        for (String row : rowKeys) {
            remove(row, transactionId);
        }
    }

    /**
     * Locks every row for a foreign transaction and notes the time; the caller has checked {@link #firstConflict}
     * first. Rows it holds already stay held, now claimed by {@code attempt}.
     *
     * @param attempt the register attempt taking them (0 = none named)
     * @return the rows newly taken, in order
     */
    public List<String> acquireForeign(long transactionId, String xid, List<String> rowKeys, long now, long attempt) {
        if (rowKeys.isEmpty() && foreign.get(transactionId) == null) {
            return List.of();
        }
        ForeignHolder h = foreign.writable(transactionId, xid, now);
        h.acquiredAt(now);
        List<String> taken = new ArrayList<>();
        for (String row : rowKeys) {
            if (h.claim(row, attempt)) {
                put(row, transactionId);
                taken.add(row);
            }
        }
        return taken;
    }

    /**
     * Releases the rows a foreign transaction holds among {@code rowKeys}, or all its rows when {@code rowKeys} is
     * empty, and, unless {@code attempt} is 0, only those {@code attempt} claimed last; forgets the transaction once
     * it holds nothing. A transaction holding nothing here is ignored.
     */
    public void releaseForeign(long transactionId, List<String> rowKeys, long attempt) {
        ForeignHolder known = foreign.get(transactionId);
        if (known == null) {
            return;
        }
        ForeignHolder h = foreign.writable(transactionId, known.xid(), known.lastAcquiredAt());
        List<String> rows = rowKeys.isEmpty() ? new ArrayList<>(h.rows()) : rowKeys;
        for (String row : rows) {
            if (h.release(row, attempt)) {
                remove(row, transactionId);
            }
        }
        if (h.isEmpty()) {
            foreign.forget(transactionId);
        }
    }

    /** {@link #releaseForeign(long, List, long)} whatever attempt claimed the rows. */
    public void releaseForeign(long transactionId, List<String> rowKeys) {
        releaseForeign(transactionId, rowKeys, 0);
    }

    /** Releases every row of every foreign holder (a lock-only fragment's table when its leader changes). */
    public void releaseAllForeign() {
        for (long id : foreign.acquiredBefore(Long.MAX_VALUE)) {
            releaseForeign(id, List.of(), 0);
        }
    }

    /** The record of a foreign transaction holding rows here (read only), or null. */
    public ForeignHolder foreignHolder(long transactionId) {
        return foreign.get(transactionId);
    }

    /** The foreign transactions whose latest acquisition here is before {@code time}, ascending. */
    public List<Long> foreignHoldersAcquiredBefore(long time) {
        return foreign.acquiredBefore(time);
    }

    public int foreignHolderCount() {
        return foreign.size();
    }

    /**
     * The foreign holders as they are now, by ascending id, for a snapshot: the records are never changed again
     * (each is copied before its next change).
     */
    public List<ForeignHolder> freezeForeignHolders() {
        return foreign.freeze();
    }

    /** Brings back a foreign holder and its rows from a snapshot. */
    public void restoreForeign(ForeignHolder snapshot) {
        ForeignHolder h = foreign.writable(snapshot.transactionId(), snapshot.xid(), snapshot.lastAcquiredAt());
        snapshot.attempts().forEach((row, attempt) -> {
            if (h.claim(row, attempt)) {
                put(row, snapshot.transactionId());
            }
        });
    }

    /**
     * Takes over rows another fragment held for {@code holder} (their slots now belong here): a free row becomes
     * held by it, a row it holds already stays so, a row another transaction holds (none, unless slots were moved
     * wrongly) is left to that one.
     */
    public void adopt(ForeignHolder holder) {
        ForeignHolder h = null;
        for (Map.Entry<String, Long> row : holder.attempts().entrySet()) {
            if (holder(row.getKey()) == 0) {
                if (h == null) {
                    h = foreign.writable(holder.transactionId(), holder.xid(), holder.lastAcquiredAt());
                    h.acquiredAt(holder.lastAcquiredAt());
                }
                h.claim(row.getKey(), row.getValue());
                put(row.getKey(), holder.transactionId());
            }
        }
    }

    /** Number of locked rows (local and foreign holders). */
    public int size() {
        return size;
    }

    /** Visits every (row, holder id) pair. */
    public void forEach(BiConsumer<String, Long> visitor) {
        for (Map<String, Long> slot : slots) {
            if (slot != null) {
                slot.forEach(visitor);
            }
        }
    }

    private void put(String row, long transactionId) {
        int s = slotOf(row);
        if (slots[s] == null) {
            slots[s] = new HashMap<>();
        }
        if (slots[s].put(row, transactionId) == null) {
            size++;
        }
    }

    private void remove(String row, long transactionId) {
        Map<String, Long> slot = slots[slotOf(row)];
        if (slot != null && slot.remove(row, transactionId)) {
            size--;
        }
    }
}
