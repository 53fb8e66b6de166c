package io.arbiter.compat.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every call the TCC actions received, in arrival order, and the failures a scenario asked them to simulate.
 * Scenarios use a fresh tag per test, so entries of earlier tests never match.
 */
public final class TccLedger {
    private static final TccLedger INSTANCE = new TccLedger();

    /** Phases recorded. */
    public enum Phase {
        TRY,
        COMMIT,
        ROLLBACK
    }

    /**
     * One call: which action, which phase, with which tag, on which XID and branch, and (phase two) the
     * {@code note} the action context carried, or null. {@code duplicate}: a phase-two call for a branch whose
     * phase two already succeeded (the TC delivers phase two at least once, e.g. again after a failover); the
     * participant answers it idempotently (success, nothing done).
     */
    public record Call(
            String action, Phase phase, String tag, String xid, long branchId, String note, boolean duplicate) {
        public Call(String action, Phase phase, String tag, String xid, long branchId, String note) {
            this(action, phase, tag, xid, branchId, note, false);
        }
    }

    private final List<Call> calls = new ArrayList<>();
    /** action|xid|branchId → the phase two that succeeded for that branch. */
    private final Map<String, Phase> finished = new HashMap<>();

    private final Map<String, AtomicInteger> commitFailures = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> rollbackFailures = new ConcurrentHashMap<>();

    public static TccLedger get() {
        return INSTANCE;
    }

    /** The next {@code times} commits of {@code action} with {@code tag} answer "failed, retry". */
    public void failCommits(String action, String tag, int times) {
        commitFailures.put(action + "|" + tag, new AtomicInteger(times));
    }

    /** The next {@code times} rollbacks of {@code action} with {@code tag} answer "failed, retry". */
    public void failRollbacks(String action, String tag, int times) {
        rollbackFailures.put(action + "|" + tag, new AtomicInteger(times));
    }

    public void tried(String action, String tag, String xid, long branchId) {
        record(new Call(action, Phase.TRY, tag, xid, branchId, null));
    }

    /**
     * Records a commit; returns its outcome (false while a simulated failure is pending). A commit of a branch
     * whose phase two already succeeded is recorded as a duplicate and answered with success.
     */
    public boolean commit(String action, String tag, String xid, long branchId, String note) {
        return phaseTwo(Phase.COMMIT, commitFailures, action, tag, xid, branchId, note);
    }

    /** Records a rollback; returns its outcome, as {@link #commit} does. */
    public boolean rollback(String action, String tag, String xid, long branchId, String note) {
        return phaseTwo(Phase.ROLLBACK, rollbackFailures, action, tag, xid, branchId, note);
    }

    private synchronized boolean phaseTwo(
            Phase phase,
            Map<String, AtomicInteger> failing,
            String action,
            String tag,
            String xid,
            long branchId,
            String note) {
        String branch = action + "|" + xid + "|" + branchId;
        if (finished.get(branch) == phase) {
            record(new Call(action, phase, tag, xid, branchId, note, true));
            return true;
        }
        record(new Call(action, phase, tag, xid, branchId, note));
        AtomicInteger failures = failing.get(action + "|" + tag);
        boolean ok = failures == null || failures.getAndDecrement() <= 0;
        if (ok) {
            finished.putIfAbsent(branch, phase);
        }
        return ok;
    }

    /** The calls with this tag, in arrival order. */
    public synchronized List<Call> calls(String tag) {
        return calls.stream().filter(c -> Objects.equals(c.tag(), tag)).toList();
    }

    /** Every call so far (for failure messages). */
    public synchronized List<Call> allCalls() {
        return List.copyOf(calls);
    }

    public synchronized int count(String action, Phase phase, String tag) {
        return (int) calls.stream()
                .filter(c -> c.action().equals(action) && c.phase() == phase && Objects.equals(c.tag(), tag))
                .count();
    }

    private synchronized void record(Call call) {
        calls.add(call);
    }
}
