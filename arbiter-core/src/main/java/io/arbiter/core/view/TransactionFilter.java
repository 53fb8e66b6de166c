package io.arbiter.core.view;

/**
 * Seata's global-session query: text fields match when they contain the given text (null or empty: any),
 * {@code status} is a console status code (negative: any; 19/20 match transactions whose retries are stopped), and
 * the transaction began within {@code [timeStart, timeEnd]} (milliseconds, inclusive).
 */
public record TransactionFilter(
        String xid,
        String applicationId,
        int status,
        String transactionName,
        long timeStart,
        long timeEnd,
        boolean withBranch) {
    public static final TransactionFilter ALL =
            new TransactionFilter(null, null, -1, null, Long.MIN_VALUE, Long.MAX_VALUE, true);

    /** A filter on one XID (exact), with branches. */
    public static TransactionFilter xid(String xid) {
        return new TransactionFilter(xid, null, -1, null, Long.MIN_VALUE, Long.MAX_VALUE, true);
    }

    public boolean matches(String xidValue, String application, int statusCode, String name, long beganAt) {
        return contains(xidValue, xid)
                && contains(application, applicationId)
                && (status < 0 || status == statusCode)
                && contains(name, transactionName)
                && beganAt >= timeStart
                && beganAt <= timeEnd;
    }

    static boolean contains(String value, String wanted) {
        return wanted == null || wanted.isEmpty() || (value != null && value.contains(wanted));
    }
}
