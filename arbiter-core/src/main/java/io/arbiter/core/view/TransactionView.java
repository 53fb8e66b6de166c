package io.arbiter.core.view;

import java.util.List;

/**
 * A live global transaction as the console shows it. {@code status} is Seata's console code (19/20 while retries
 * are stopped); {@code branches} is empty when the query asked for none.
 */
public record TransactionView(
        String xid,
        long transactionId,
        int status,
        String applicationId,
        String serviceGroup,
        String name,
        int timeoutMillis,
        long beganAt,
        List<BranchView> branches) {
    public TransactionView {
        branches = List.copyOf(branches);
    }
}
