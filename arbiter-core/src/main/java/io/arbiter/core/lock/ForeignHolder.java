package io.arbiter.core.lock;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A transaction of another fragment that holds row locks here (taken with {@code AcquireLocks}): its XID (for
 * conflict messages and the admin view), the time of its latest acquisition (for the orphan sweep) and its rows
 * here, in the order they were taken. Mutable only inside this package; an instance handed to a snapshot is never
 * changed again (the owner copies it before its next change).
 */
public final class ForeignHolder {
    private final long transactionId;
    private final String xid;
    private long lastAcquiredAt;
    private final Set<String> rows;
    private int epoch;

    public ForeignHolder(long transactionId, String xid, long lastAcquiredAt, Collection<String> rows) {
        this.transactionId = transactionId;
        this.xid = xid;
        this.lastAcquiredAt = lastAcquiredAt;
        this.rows = new LinkedHashSet<>(rows);
    }

    public long transactionId() {
        return transactionId;
    }

    public String xid() {
        return xid;
    }

    public long lastAcquiredAt() {
        return lastAcquiredAt;
    }

    /** The rows it holds here (read only). */
    public Set<String> rows() {
        return Collections.unmodifiableSet(rows);
    }

    /** Same transaction, XID, time and rows (in the same order); for tests and decoded commands. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ForeignHolder other
                && other.transactionId == transactionId
                && other.lastAcquiredAt == lastAcquiredAt
                && java.util.Objects.equals(other.xid, xid)
                && java.util.List.copyOf(other.rows).equals(java.util.List.copyOf(rows));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(transactionId) * 31 + rows.hashCode();
    }

    @Override
    public String toString() {
        return "ForeignHolder[" + transactionId + ", " + xid + ", " + lastAcquiredAt + ", " + rows + "]";
    }

    ForeignHolder copy(int newEpoch) {
        ForeignHolder c = new ForeignHolder(transactionId, xid, lastAcquiredAt, rows);
        c.epoch = newEpoch;
        return c;
    }

    int epoch() {
        return epoch;
    }

    void epoch(int e) {
        this.epoch = e;
    }

    void acquiredAt(long now) {
        lastAcquiredAt = Math.max(lastAcquiredAt, now);
    }

    boolean add(String row) {
        return rows.add(row);
    }

    boolean remove(String row) {
        return rows.remove(row);
    }

    boolean holds(String row) {
        return rows.contains(row);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }
}
