package io.arbiter.core;

import io.arbiter.core.lock.LockTable;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of one fragment: live transactions, row locks (of its own transactions and of foreign ones), timers and
 * the id counter.
 */
final class CoordinatorState {
    /** Transaction and branch ids carry the fragment id in the bits above this many counter bits. */
    static final int COUNTER_BITS = 48;
    /** How many ended transactions keep their final status for late or retried requests. */
    static final int ENDED_CAPACITY = 100_000;

    private final int fragmentId;
    private final Map<Long, GlobalTransaction> transactions = new HashMap<>();
    private final LockTable locks = new LockTable();
    private final DueIndex due = new DueIndex();
    private final EndedTransactions ended = new EndedTransactions(ENDED_CAPACITY);
    private final AtResources atResources = new AtResources();
    private boolean locksHandedOver;
    /** Per lock-only fragment: grants its leaders made from memory below this term are void here. */
    private final java.util.TreeMap<Integer, Long> lockFences = new java.util.TreeMap<>();

    private long sequence;
    /** Raised by every snapshot; a transaction of an older epoch is shared with a snapshot and is copied on write. */
    private int epoch;

    CoordinatorState(int fragmentId) {
        if (fragmentId < 0 || fragmentId >= (1 << (63 - COUNTER_BITS))) {
            throw new IllegalArgumentException("fragment id out of range: " + fragmentId);
        }
        this.fragmentId = fragmentId;
    }

    int fragmentId() {
        return fragmentId;
    }

    LockTable locks() {
        return locks;
    }

    /** The fence of lock-only fragment {@code lockFragment}: grants of its leaders below this term are void (0: none). */
    long lockFence(int lockFragment) {
        return lockFences.getOrDefault(lockFragment, 0L);
    }

    /** Raises the fence of {@code lockFragment} to {@code term} (never lowers it). */
    void raiseLockFence(int lockFragment, long term) {
        lockFences.merge(lockFragment, term, Math::max);
    }

    /** Every fence, by lock fragment (a copy). */
    Map<Integer, Long> lockFences() {
        return new java.util.TreeMap<>(lockFences);
    }

    DueIndex due() {
        return due;
    }

    EndedTransactions ended() {
        return ended;
    }

    AtResources atResources() {
        return atResources;
    }

    long sequence() {
        return sequence;
    }

    Collection<GlobalTransaction> transactions() {
        return transactions.values();
    }

    /**
     * The next transaction or branch id. The counter never falls below {@code now × 16}, so ids stay unique even
     * if the data directory is lost and the node restarts (clients keep XIDs and branch ids in undo-log and fence
     * tables for days); bursts of more than 16 ids per millisecond borrow from the future and stay monotonic.
     */
    long nextId(long now) {
        sequence = Math.max(sequence + 1, now << 4);
        if (sequence >= 1L << COUNTER_BITS) {
            throw new IllegalStateException("id counter exhausted");
        }
        return ((long) fragmentId << COUNTER_BITS) | sequence;
    }

    /** The live transaction with this XID, ready to be changed; null if none. */
    GlobalTransaction find(String xid) {
        GlobalTransaction tx = transactions.get(Xids.transactionId(xid));
        return tx != null && tx.xid().equals(xid) ? writable(tx) : null;
    }

    /** The live transaction with this id, ready to be changed; null if none. */
    GlobalTransaction get(long transactionId) {
        GlobalTransaction tx = transactions.get(transactionId);
        return tx == null ? null : writable(tx);
    }

    /** The live transaction with this id, read only (it may be shared with a snapshot). */
    GlobalTransaction peek(long transactionId) {
        return transactions.get(transactionId);
    }

    /** The live transaction with this XID, read only (it may be shared with a snapshot); null if none. */
    GlobalTransaction peek(String xid) {
        GlobalTransaction tx = transactions.get(Xids.transactionId(xid));
        return tx != null && tx.xid().equals(xid) ? tx : null;
    }

    private GlobalTransaction writable(GlobalTransaction tx) {
        if (tx.epoch() == epoch) {
            return tx;
        }
        GlobalTransaction copy = tx.copy();
        copy.epoch(epoch);
        transactions.put(copy.transactionId(), copy);
        return copy;
    }

    /**
     * The live transactions as they are now, for a snapshot: O(n) copying of references only. From now on every
     * transaction is copied before its first change, so the returned instances never change again.
     */
    List<GlobalTransaction> freeze() {
        epoch++;
        return new ArrayList<>(transactions.values());
    }

    void add(GlobalTransaction tx) {
        tx.epoch(epoch);
        transactions.put(tx.transactionId(), tx);
    }

    /** Brings back a transaction from a snapshot, with its locks and timer. */
    void restore(GlobalTransaction tx, long sequenceAtSnapshot) {
        sequence = Math.max(sequence, sequenceAtSnapshot);
        add(tx);
        if (!tx.locksReleased()) {
            for (Branch b : tx.branches()) {
                locks.lockAll(tx.transactionId(), b.rowKeys());
            }
        }
        if (!tx.retryStopped()) {
            due.schedule(tx.transactionId(), tx.status() == GlobalStatus.Begin ? tx.expiresAt() : tx.nextAttemptAt());
        }
    }

    /**
     * True when the transaction id was handed out by this fragment and the transaction is over: not live, and at or
     * below the counter (ids only grow, so such an id either ended or was never handed out). False for ids of other
     * fragments and ids above the counter.
     */
    boolean definitelyOver(long transactionId) {
        return transactionId > 0
                && Xids.fragmentOf(transactionId) == fragmentId
                && Xids.counterOf(transactionId) <= sequence
                && !transactions.containsKey(transactionId);
    }

    /** True for an id handed out (or to be handed out) by this fragment. */
    boolean isLocal(long transactionId) {
        return Xids.fragmentOf(transactionId) == fragmentId;
    }

    /** Whether this fragment handed its lock slots over ({@code HandOverLocks}); it then takes no more rows. */
    boolean locksHandedOver() {
        return locksHandedOver;
    }

    void handOverLocks() {
        locksHandedOver = true;
    }

    void restoreSequence(long value) {
        sequence = value;
    }

    void releaseLocks(GlobalTransaction tx) {
        if (!tx.locksReleased()) {
            for (Branch b : tx.branches()) {
                locks.releaseAll(tx.transactionId(), b.rowKeys());
            }
            // rows it took in a fragment whose lock slots were then handed over to this one
            locks.releaseForeign(tx.transactionId(), List.of());
            tx.locksReleased(true);
        }
    }

    /** Removes an ended transaction, remembering its final status. */
    void remove(GlobalTransaction tx) {
        releaseLocks(tx);
        transactions.remove(tx.transactionId());
        due.cancel(tx.transactionId());
        ended.remember(tx.transactionId(), tx.status());
    }

    /**
     * The final status of a transaction that ended here, null if unknown (only the XID's transaction id is
     * compared: ids are unique on their own).
     */
    GlobalStatus endedStatus(String xid) {
        return ended.statusOf(Xids.transactionId(xid));
    }
}
