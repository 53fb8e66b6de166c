package io.arbiter.core.view;

/**
 * Seata's global-lock query: every text field matches when the lock's value contains it (null or empty: any); the
 * holding transaction began within {@code [timeStart, timeEnd]} (milliseconds, inclusive).
 */
public record LockFilter(
        String xid,
        String transactionId,
        String branchId,
        String resourceId,
        String tableName,
        String pk,
        long timeStart,
        long timeEnd) {
    public static final LockFilter ALL =
            new LockFilter(null, null, null, null, null, null, Long.MIN_VALUE, Long.MAX_VALUE);

    public boolean matches(LockView lock) {
        return TransactionFilter.contains(lock.xid(), xid)
                && TransactionFilter.contains(String.valueOf(lock.transactionId()), transactionId)
                && TransactionFilter.contains(String.valueOf(lock.branchId()), branchId)
                && TransactionFilter.contains(lock.resourceId(), resourceId)
                && TransactionFilter.contains(lock.tableName(), tableName)
                && TransactionFilter.contains(lock.pk(), pk)
                && lock.beganAt() >= timeStart
                && lock.beganAt() <= timeEnd;
    }
}
