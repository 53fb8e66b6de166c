package io.arbiter.core.snapshot;

import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Result;
import java.util.List;
import java.util.Map;

/**
 * A consistent, private copy of a fragment's state: the id counter, the live transactions (locks and timers
 * are derived from them on restore) and the remembered answers for deduplication, oldest first.
 */
public record CoordinatorSnapshot(int fragmentId, long sequence, List<GlobalTransaction> transactions,
                                  Map<RequestId, Result> answers) {
    public CoordinatorSnapshot {
        transactions = java.util.Collections.unmodifiableList(transactions);
    }
}
