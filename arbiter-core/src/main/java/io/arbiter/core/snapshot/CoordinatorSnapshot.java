package io.arbiter.core.snapshot;

import io.arbiter.core.command.RequestId;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Result;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A consistent, private copy of a fragment's state: the id counter, the live transactions (their locks and timers
 * are derived from them on restore), the remembered answers for deduplication and the final statuses of recently
 * ended transactions, both oldest first, the transactions of other fragments holding rows here, by ascending
 * id, the AT resources that registered branches here with their latest registration time, least recent first, and
 * whether this fragment handed its lock slots over (it then takes no more rows), and the fence term of each lock-only
 * fragment (grants its leaders made below it are void here).
 */
public record CoordinatorSnapshot(
        int fragmentId,
        long sequence,
        List<GlobalTransaction> transactions,
        Map<RequestId, Result> answers,
        Map<Long, GlobalStatus> ended,
        List<ForeignHolder> foreignHolders,
        Map<String, Long> atResources,
        boolean locksHandedOver,
        Map<Integer, Long> lockFences) {
    public CoordinatorSnapshot {
        transactions = Collections.unmodifiableList(transactions);
        foreignHolders = Collections.unmodifiableList(foreignHolders);
        atResources = Collections.unmodifiableMap(atResources);
        lockFences = Collections.unmodifiableMap(new java.util.TreeMap<>(lockFences));
    }

    /** A snapshot without lock fences (written before lock-only fragments). */
    public CoordinatorSnapshot(
            int fragmentId,
            long sequence,
            List<GlobalTransaction> transactions,
            Map<RequestId, Result> answers,
            Map<Long, GlobalStatus> ended,
            List<ForeignHolder> foreignHolders,
            Map<String, Long> atResources,
            boolean locksHandedOver) {
        this(
                fragmentId,
                sequence,
                transactions,
                answers,
                ended,
                foreignHolders,
                atResources,
                locksHandedOver,
                Map.of());
    }

    /** A snapshot of a fragment that did not hand its lock slots over. */
    public CoordinatorSnapshot(
            int fragmentId,
            long sequence,
            List<GlobalTransaction> transactions,
            Map<RequestId, Result> answers,
            Map<Long, GlobalStatus> ended,
            List<ForeignHolder> foreignHolders,
            Map<String, Long> atResources) {
        this(fragmentId, sequence, transactions, answers, ended, foreignHolders, atResources, false);
    }

    /** A snapshot without AT resources (written before they were kept). */
    public CoordinatorSnapshot(
            int fragmentId,
            long sequence,
            List<GlobalTransaction> transactions,
            Map<RequestId, Result> answers,
            Map<Long, GlobalStatus> ended,
            List<ForeignHolder> foreignHolders) {
        this(fragmentId, sequence, transactions, answers, ended, foreignHolders, Map.of());
    }

    /** A snapshot without foreign holders (a fragment whose rows are all its own transactions'). */
    public CoordinatorSnapshot(
            int fragmentId,
            long sequence,
            List<GlobalTransaction> transactions,
            Map<RequestId, Result> answers,
            Map<Long, GlobalStatus> ended) {
        this(fragmentId, sequence, transactions, answers, ended, List.of());
    }
}
