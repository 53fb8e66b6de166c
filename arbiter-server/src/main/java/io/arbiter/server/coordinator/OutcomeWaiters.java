package io.arbiter.server.coordinator;

import io.arbiter.core.Xids;
import io.arbiter.core.model.GlobalStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * TMs waiting for the outcome of a synchronous commit or a rollback. A waiter is registered before the command is
 * proposed, so an outcome applied right after the command cannot be missed. Outcomes are announced only by the
 * leader of the transaction's fragment, so when this node stops leading it the waits for its transactions are
 * cancelled: the TM's request is then retried on the next leader, which announces the outcome.
 *
 * <p>The release of a transaction's rows in other fragments is awaited here too: as in Seata, a TM that hears
 * Committed or Rollbacked finds the rows free, also where another fragment held them.
 *
 * <p>Threading: thread-safe.
 */
public final class OutcomeWaiters {
    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);

    private final ConcurrentMap<String, CompletableFuture<GlobalStatus>> waiters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<Void>> releases = new ConcurrentHashMap<>();

    /** Registers interest in {@code xid}'s outcome (shared if someone already waits). */
    public CompletableFuture<GlobalStatus> register(String xid) {
        return waiters.computeIfAbsent(xid, k -> new CompletableFuture<>());
    }

    /** Drops interest, when the answer turned out not to need waiting. */
    public void cancel(String xid, CompletableFuture<GlobalStatus> waiter) {
        waiters.remove(xid, waiter);
    }

    /** An outcome was applied. */
    public void complete(String xid, GlobalStatus status) {
        CompletableFuture<GlobalStatus> waiter = waiters.remove(xid);
        if (waiter != null) {
            waiter.complete(status);
        }
    }

    /**
     * This node stopped leading fragment {@code fragmentId}: the waits for outcomes of its transactions are cancelled
     * now (they would otherwise last until their time limit, while the next leader finishes phase two and announces
     * the outcome there).
     */
    public void leadershipEnded(int fragmentId) {
        waiters.forEach((xid, waiter) -> {
            if (Xids.fragmentOf(Xids.transactionId(xid)) == fragmentId && waiters.remove(xid, waiter)) {
                waiter.cancel(false);
            }
        });
    }

    /**
     * The rows of {@code xid} in another fragment are being released; {@code done} completes (normally or not) when
     * that is over. Called on the apply thread before the command that ended the transaction is answered.
     */
    public void releasing(String xid, CompletableFuture<?> done) {
        CompletableFuture<Void> over = done.handle((r, e) -> null);
        CompletableFuture<Void> all = releases.merge(xid, over, CompletableFuture::allOf);
        all.whenComplete((r, e) -> releases.remove(xid, all));
    }

    /** Completes once every release of {@code xid}'s rows in other fragments started so far is over. */
    public CompletableFuture<Void> released(String xid) {
        return releases.getOrDefault(xid, NOTHING);
    }

    public int size() {
        return waiters.size();
    }
}
