package io.arbiter.core;

/** XID helpers: an XID is {@code host:port:transactionId}. */
public final class Xids {
    private Xids() {
    }

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
}
