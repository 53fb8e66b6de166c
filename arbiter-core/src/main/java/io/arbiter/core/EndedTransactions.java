package io.arbiter.core;

import io.arbiter.core.model.GlobalStatus;
import java.util.Arrays;
import java.util.Map;

/**
 * The final status of recently ended transactions, so that a commit, rollback or status query that arrives after
 * the transaction ended (a TM retrying through a failover, whose first attempt was applied by a leader that died
 * before answering) gets the real outcome instead of Seata's "Finished". Bounded: the oldest leave first,
 * deterministically (same history, same contents, on every replica). Kept in a ring of primitive arrays with a
 * {@link SlotIndex}: no object per remembered transaction.
 */
final class EndedTransactions implements SlotIndex.Keys {
    private static final GlobalStatus[] STATUSES = GlobalStatus.values();

    private final long[] ids;
    private final byte[] statuses;
    private final SlotIndex index;

    EndedTransactions(int capacity) {
        this.ids = new long[capacity];
        this.statuses = new byte[capacity];
        this.index = new SlotIndex(capacity, this);
    }

    void remember(long transactionId, GlobalStatus status) {
        int known = index.find(transactionId, transactionId, 0);
        if (known >= 0) {
            statuses[known] = (byte) status.ordinal(); // as a map's put: the value changes, the order does not
            return;
        }
        int slot = index.claim();
        ids[slot] = transactionId;
        statuses[slot] = (byte) status.ordinal();
        index.add(transactionId, slot);
    }

    /** The final status of an ended transaction, or null if it is not (or no longer) remembered. */
    GlobalStatus statusOf(long transactionId) {
        int slot = index.find(transactionId, transactionId, 0);
        return slot < 0 ? null : STATUSES[statuses[slot]];
    }

    /** A copy of the contents as an unmodifiable map, oldest first (cheap: two array copies). */
    Map<Long, GlobalStatus> freeze() {
        long[] idsCopy = Arrays.copyOf(ids, index.size());
        byte[] statusCopy = Arrays.copyOf(statuses, index.size());
        return new FrozenRing<>(
                index.size(), index.oldest(), slot -> Map.entry(idsCopy[slot], STATUSES[statusCopy[slot]]));
    }

    @Override
    public long hashOf(int slot) {
        return ids[slot];
    }

    @Override
    public boolean matches(int slot, long k1, long k2) {
        return ids[slot] == k1;
    }
}
