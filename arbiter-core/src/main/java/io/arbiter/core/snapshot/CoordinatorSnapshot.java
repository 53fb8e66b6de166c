package io.arbiter.core.snapshot;

import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Result;
import java.util.List;
import java.util.Map;

/**
 * A consistent, private copy of a fragment's state: the id counter, the live transactions (locks and timers
 * are derived from them on restore), the remembered answers for deduplication and the final statuses of recently
 * ended transactions, both oldest first.
 */
public record CoordinatorSnapshot(int fragmentId, long sequence, List<GlobalTransaction> transactions,
                                  Map<RequestId, Result> answers, Map<Long, GlobalStatus> ended) {
    public CoordinatorSnapshot {
        transactions = java.util.Collections.unmodifiableList(transactions);
    }
}
