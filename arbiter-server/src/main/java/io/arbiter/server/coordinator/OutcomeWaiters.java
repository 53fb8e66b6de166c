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
 * <p>Threading: thread-safe.
 */
public final class OutcomeWaiters {
    private final ConcurrentMap<String, CompletableFuture<GlobalStatus>> waiters = new ConcurrentHashMap<>();

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

    public int size() {
        return waiters.size();
    }
}
