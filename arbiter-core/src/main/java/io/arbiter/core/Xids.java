package io.arbiter.core;

/**
 * XID helpers: an XID is {@code host:port:transactionId}; a transaction (or branch) id carries its fragment id in
 * the bits above the {@value CoordinatorState#COUNTER_BITS} bits of its fragment's counter.
 */
public final class Xids {
    private Xids() {}

    /** The transaction id at the end of an XID, or -1 if the XID is null or malformed. */
    public static long transactionId(String xid) {
        if (xid == null) {
            return -1;
        }
        int colon = xid.lastIndexOf(':');
        if (colon < 0 || colon == xid.length() - 1) {
            return -1;
        }
        try {
            long id = Long.parseLong(xid, colon + 1, xid.length(), 10);
            return id > 0 ? id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The fragment a transaction or branch id was handed out by. */
    public static int fragmentOf(long id) {
        return (int) (id >>> CoordinatorState.COUNTER_BITS);
    }

    /** The counter part of a transaction or branch id (its fragment's counter when it was handed out). */
    static long counterOf(long id) {
        return id & ((1L << CoordinatorState.COUNTER_BITS) - 1);
    }
}
