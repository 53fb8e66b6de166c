package io.arbiter.core.view;

/**
 * A row lock held by a live transaction of the answering fragment (the row itself may be locked in another
 * fragment, which owns its slot). {@code beganAt} is when the holding transaction began.
 */
public record LockView(
        String xid,
        long transactionId,
        long branchId,
        String resourceId,
        String tableName,
        String pk,
        String rowKey,
        long beganAt) {
    private static final String SEPARATOR = "^^^";

    /** The view of {@code rowKey} ({@code resource^^^table^^^pk}) held by a branch. */
    public static LockView of(String xid, long transactionId, long branchId, String rowKey, long beganAt) {
        String[] parts = split(rowKey);
        return new LockView(xid, transactionId, branchId, parts[0], parts[1], parts[2], rowKey, beganAt);
    }

    /** {@code [resource, table, pk]} of a row key; a key without separators is all pk. */
    public static String[] split(String rowKey) {
        int first = rowKey.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : rowKey.indexOf(SEPARATOR, first + SEPARATOR.length());
        if (second < 0) {
            return new String[] {"", "", rowKey};
        }
        return new String[] {
            rowKey.substring(0, first),
            rowKey.substring(first + SEPARATOR.length(), second),
            rowKey.substring(second + SEPARATOR.length())
        };
    }

    /** The row key of a resource, table and primary key. */
    public static String rowKey(String resourceId, String tableName, String pk) {
        return resourceId + SEPARATOR + tableName + SEPARATOR + pk;
    }
}
