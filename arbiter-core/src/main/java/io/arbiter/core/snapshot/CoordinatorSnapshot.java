package io.arbiter.core.snapshot;

import io.arbiter.core.model.GlobalTransaction;
import java.util.List;

/**
 * A consistent, private copy of a fragment's state: the id counter and the live transactions (locks and timers
 * are derived from them on restore).
 */
public record CoordinatorSnapshot(int fragmentId, long sequence, List<GlobalTransaction> transactions) {
    public CoordinatorSnapshot {
        transactions = List.copyOf(transactions);
    }
}
