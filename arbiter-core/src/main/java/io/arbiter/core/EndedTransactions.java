package io.arbiter.core;

import io.arbiter.core.model.GlobalStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The final status of recently ended transactions, so that a commit, rollback or status query that arrives after
 * the transaction ended (a TM retrying through a failover, whose first attempt was applied by a leader that died
 * before answering) gets the real outcome instead of Seata's "Finished". Bounded: the oldest leave first,
 * deterministically (same history, same contents, on every replica).
 */
final class EndedTransactions {
    private final int capacity;
    private final LinkedHashMap<Long, GlobalStatus> statuses = new LinkedHashMap<>();

    EndedTransactions(int capacity) {
        this.capacity = capacity;
    }

    void remember(long transactionId, GlobalStatus status) {
        statuses.put(transactionId, status);
        if (statuses.size() > capacity) {
            var oldest = statuses.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The final status of an ended transaction, or null if it is not (or no longer) remembered. */
    GlobalStatus statusOf(long transactionId) {
        return statuses.get(transactionId);
    }

    /** Oldest first. */
    Map<Long, GlobalStatus> entries() {
        return statuses;
    }
}
