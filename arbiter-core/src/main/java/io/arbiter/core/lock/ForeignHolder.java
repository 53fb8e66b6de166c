package io.arbiter.core.lock;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A transaction of another fragment that holds row locks here (taken with {@code AcquireLocks}): its XID (for
 * conflict messages and the admin view), the time of its latest acquisition (for the orphan sweep) and its rows
 * here, in the order they were taken, each with the register attempt that last claimed it (0 = none named): a
 * conflicting attempt gives back only rows still tagged with it, so a retried attempt that counted on them keeps
 * them ({@code docs/LOCKS.md}). Mutable only inside this package; an instance handed to a snapshot is never changed
 * again (the owner copies it before its next change).
 */
public final class ForeignHolder {
    private final long transactionId;
    private final String xid;
    private long lastAcquiredAt;
    private final Map<String, Long> rows;
    private int epoch;

    /** A holder whose rows name no attempt. */
    public ForeignHolder(long transactionId, String xid, long lastAcquiredAt, Collection<String> rows) {
        this.transactionId = transactionId;
        this.xid = xid;
        this.lastAcquiredAt = lastAcquiredAt;
        this.rows = new LinkedHashMap<>();
        rows.forEach(r -> this.rows.put(r, 0L));
    }

    /** A holder whose rows name the attempts that claimed them (in the map's order). */
    public ForeignHolder(long transactionId, String xid, long lastAcquiredAt, Map<String, Long> attempts) {
        this.transactionId = transactionId;
        this.xid = xid;
        this.lastAcquiredAt = lastAcquiredAt;
        this.rows = new LinkedHashMap<>(attempts);
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
        return Collections.unmodifiableSet(rows.keySet());
    }

    /** Each row with the attempt that last claimed it (read only, in the rows' order). */
    public Map<String, Long> attempts() {
        return Collections.unmodifiableMap(rows);
    }

    /** Same transaction, XID, time, rows in the same order and attempts. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ForeignHolder other
                && other.transactionId == transactionId
                && other.lastAcquiredAt == lastAcquiredAt
                && Objects.equals(other.xid, xid)
                && List.copyOf(other.rows.entrySet()).equals(List.copyOf(rows.entrySet()));
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

    /** Claims {@code row} for {@code attempt}; true if it was not held before. */
    boolean claim(String row, long attempt) {
        return rows.put(row, attempt) == null;
    }

    /** Gives {@code row} up if held, and, unless {@code attempt} is 0, only if {@code attempt} claimed it last. */
    boolean release(String row, long attempt) {
        Long claimedBy = rows.get(row);
        if (claimedBy == null || (attempt != 0 && claimedBy != attempt)) {
            return false;
        }
        rows.remove(row);
        return true;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }
}
