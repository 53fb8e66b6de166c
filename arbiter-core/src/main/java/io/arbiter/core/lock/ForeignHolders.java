package io.arbiter.core.lock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of the foreign transactions holding rows in one lock table, by transaction id. Copy-on-write towards
 * snapshots: {@link #freeze} hands out the current records, and a record of an older epoch is copied before it
 * changes.
 */
final class ForeignHolders {
    private final Map<Long, ForeignHolder> byId = new HashMap<>();
    private int epoch;

    /** The record of {@code transactionId}, read only; null if it holds nothing here. */
    ForeignHolder get(long transactionId) {
        return byId.get(transactionId);
    }

    /** The record of {@code transactionId}, ready to be changed; created (empty) if absent. */
    ForeignHolder writable(long transactionId, String xid, long now) {
        ForeignHolder h = byId.get(transactionId);
        if (h == null) {
            h = new ForeignHolder(transactionId, xid, now, List.of());
            h.epoch(epoch);
            byId.put(transactionId, h);
        } else if (h.epoch() != epoch) {
            h = h.copy(epoch);
            byId.put(transactionId, h);
        }
        return h;
    }

    void forget(long transactionId) {
        byId.remove(transactionId);
    }

    /** Ids of the holders whose latest acquisition is before {@code time}, ascending. */
    List<Long> acquiredBefore(long time) {
        List<Long> ids = new ArrayList<>();
        for (ForeignHolder h : byId.values()) {
            if (h.lastAcquiredAt() < time) {
                ids.add(h.transactionId());
            }
        }
        ids.sort(null);
        return ids;
    }

    /** The records as they are now, by ascending id; they never change afterwards. */
    List<ForeignHolder> freeze() {
        epoch++;
        List<ForeignHolder> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(ForeignHolder::transactionId));
        return all;
    }

    int size() {
        return byId.size();
    }
}
