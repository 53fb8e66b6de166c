package io.arbiter.server.sim;

import static org.assertj.core.api.Assertions.fail;

import io.arbiter.core.Applied;
import io.arbiter.core.Coordinator;
import io.arbiter.core.Xids;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.core.model.Branch;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Effect;
import io.arbiter.core.snapshot.SnapshotCodec;
import io.arbiter.server.coordinator.CoordinatorStateMachine;
import io.arbiter.server.fragment.SlotMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants of {@link FragmentSimulationTest}, checked over every fragment's committed state after every event
 * ({@link #check}) and after the quiet period ({@link #checkEnd}), and what they remember of the run: decisions
 * seen anywhere (statuses, RM calls, answers to the TM), branches, ends and how long locks have been held.
 *
 * <p>Threading: single-threaded, driven by the {@link SimLoop}.
 */
abstract class SimChecks extends SimCluster {
    /**
     * The sweeper's bound (LOCKS.md, invariant 3, "leaders permitting"): a lock of an ended transaction is gone at the
     * latest {@code PERIOD} (5 s, the sweeper's period) + {@code ROUND} (5 s: one lost or slow round, QueryAlive's own
     * deadline being PERIOD) after the latest of: the end of its transaction, the lock's taking + {@code MIN_AGE}
     * (10 s), and the election of the lock fragment's current leader. Without leader changes: 10 + 5 + 5 s after the
     * end.
     */
    static final long MIN_AGE_MILLIS = 10_000;
    /**
     * How long after a transaction's end a register of it, retried by the gateway, may still take rows in another
     * fragment (re-dating the lock for the sweeper): the RM request deadline at the gateway (12 s), plus the lock
     * call's own deadline (8 s) and one peer attempt (5 s) started just before it.
     */
    static final long LATE_ACQUIRE_MILLIS = 12_000 + 8_000 + 5_000;

    static final long PERIOD_AND_ROUND_MILLIS = 5_000 + 5_000;

    // ---- what the checks remember ----
    final Map<Long, Long> endedAt = new HashMap<>();
    final Map<String, GlobalStatus> endStatus = new HashMap<>();
    final Map<String, Map<Long, Branch>> branchesSeen = new HashMap<>();
    final Map<String, Boolean> decision = new HashMap<>(); // true = commit
    final Set<String> acknowledgedCommit = new HashSet<>();
    final Map<Long, Boolean> rmDone = new HashMap<>(); // branch id → committed (true) / rolled back (false)
    final Map<String, Boolean> rmSaga = new HashMap<>();
    final Map<String, Long> lockSeen = new HashMap<>();

    SimChecks(long seed) {
        super(seed);
    }

    // ---- the checks ----

    /** Commit (true), rollback (false) or undecided (null) for a status. */
    static Boolean family(GlobalStatus s) {
        return switch (s) {
            case Committing, CommitRetrying, AsyncCommitting, Committed, CommitFailed, CommitRetryTimeout -> true;
            case Rollbacking,
                    RollbackRetrying,
                    TimeoutRollbacking,
                    TimeoutRollbackRetrying,
                    Rollbacked,
                    RollbackFailed,
                    TimeoutRollbacked,
                    TimeoutRollbackFailed,
                    RollbackRetryTimeout -> false;
            default -> null;
        };
    }

    void decide(String xid, boolean commit, String how) {
        Boolean before = decision.putIfAbsent(xid, commit);
        if (before != null && before != commit) {
            fail(
                    "decision of %s reversed: was %s, now %s by %s",
                    xid, before ? "commit" : "rollback", commit ? "commit" : "rollback", how);
        }
    }

    /** Each committed entry of a fragment, with the reference coordinator's result and effects. */
    void onCommit(SimLog log, Applied applied) {
        for (Effect e : applied.effects()) {
            if (e instanceof Effect.Finished f) {
                endedAt.put(Xids.transactionId(f.xid()), loop.now());
                endStatus.put(f.xid(), f.status());
                Boolean d = family(f.status());
                if (d != null) {
                    decide(f.xid(), d, "end " + f.status());
                }
                checkBranchesFinal(f.xid(), f.status());
            }
        }
        for (GlobalTransaction tx : log.reference.transactions()) {
            Map<Long, Branch> seen = branchesSeen.computeIfAbsent(tx.xid(), k -> new HashMap<>());
            for (Branch b : tx.branches()) {
                seen.put(b.branchId(), b);
            }
            Boolean d = family(tx.status());
            if (d != null) {
                decide(tx.xid(), d, "status " + tx.status());
            }
        }
    }

    /** Invariant 5, when a transaction ends. */
    void checkBranchesFinal(String xid, GlobalStatus status) {
        Boolean commit = status == GlobalStatus.Committed
                ? Boolean.TRUE
                : status == GlobalStatus.Rollbacked || status == GlobalStatus.TimeoutRollbacked ? Boolean.FALSE : null;
        if (commit == null) {
            return;
        }
        Map<Long, Branch> branches = branchesSeen.getOrDefault(xid, Map.of());
        boolean saga = branches.values().stream().anyMatch(b -> b.type() == io.arbiter.core.model.BranchType.SAGA);
        if (saga) {
            if (rmSaga.containsKey(xid) && rmSaga.get(xid) != commit) {
                fail("saga %s ended %s but its RM did the opposite", xid, status);
            }
            return; // a Saga report ends it without calls
        }
        for (Branch b : branches.values()) {
            if (!commit.equals(rmDone.get(b.branchId()))) {
                fail(
                        "%s ended %s, but branch %d (%s) was %s at its RM",
                        xid,
                        status,
                        b.branchId(),
                        b.type(),
                        rmDone.containsKey(b.branchId())
                                ? (rmDone.get(b.branchId()) ? "committed" : "rolled back")
                                : "never finished");
            }
        }
    }

    /**
     * Where fragment {@code log}'s row locks are now: its committed state, or, for a lock-only fragment, its leader's
     * in-memory table once rebuilt for the leader's term (null while there is none: no leader, or rebuilding).
     */
    Coordinator lockTable(SimLog log) {
        if (!map.lockOnly(log.fragmentId)) {
            return log.reference;
        }
        String leader = log.leader();
        if (leader == null) {
            return null;
        }
        CoordinatorStateMachine machine = (CoordinatorStateMachine) log.replicas.get(leader).stateMachine;
        return machine.lockTableReady() ? machine.peekCoordinator() : null;
    }

    /**
     * Invariant 1 from the transactions' own records, whatever holds the lock tables: no row is named by AT branches
     * of two live transactions that still hold their locks.
     */
    private static void noRowRegisteredTwice(Map<Long, GlobalTransaction> live) {
        Map<String, Long> claimed = new HashMap<>();
        forEachHeldRow(live, (tx, b, row) -> {
            Long other = claimed.putIfAbsent(row, tx.transactionId());
            if (other != null && other != tx.transactionId()) {
                fail("row %s registered by live transactions %d and %s", row, other, tx.xid());
            }
        });
    }

    private interface HeldRow {
        void visit(GlobalTransaction tx, Branch branch, String row);
    }

    /** Every row of every AT branch of the live transactions that still hold their locks. */
    private static void forEachHeldRow(Map<Long, GlobalTransaction> live, HeldRow visitor) {
        for (GlobalTransaction tx : live.values()) {
            if (tx.locksReleased()) {
                continue;
            }
            for (Branch b : tx.branches()) {
                if (b.type() != io.arbiter.core.model.BranchType.AT) {
                    continue;
                }
                for (String row : LockKeys.rowKeys(b.resourceId(), b.lockKey())) {
                    visitor.visit(tx, b, row);
                }
            }
        }
    }

    /** Invariants 1 to 4 over every fragment's committed state. */
    void check() {
        Map<Long, GlobalTransaction> live = new HashMap<>();
        for (SimLog log : logs.values()) {
            for (GlobalTransaction tx : log.reference.transactions()) {
                live.put(tx.transactionId(), tx);
            }
        }
        noRowRegisteredTwice(live);
        Map<String, Long> holders = new HashMap<>();
        Set<String> present = new HashSet<>();
        long now = loop.now();
        for (SimLog log : logs.values()) {
            int f = log.fragmentId;
            Coordinator table = lockTable(log);
            if (table == null) {
                continue;
            }
            table.forEachLock((row, holder, xid) -> {
                Long other = holders.putIfAbsent(row, holder);
                if (other != null && other != holder && live.containsKey(other) && live.containsKey(holder)) {
                    fail("row %s held by two live transactions, %d and %d", row, other, holder);
                }
                String key = f + "|" + row + "|" + holder;
                present.add(key);
                long since = lockSeen.computeIfAbsent(key, k -> now);
                if (!live.containsKey(holder)) {
                    if (Xids.fragmentOf(holder) == f) {
                        fail("ended transaction %s still holds %s in its own fragment %d", xid, row, f);
                    }
                    Long ended = endedAt.get(holder);
                    long end = ended == null ? since : ended;
                    long elected = log.leader() == null ? now : log.electedAt;
                    var record = table.foreignHolder(holder);
                    long acquired = record == null ? since : record.lastAcquiredAt();
                    long sweep = Math.max(Math.max(end, acquired + MIN_AGE_MILLIS), elected);
                    if (now > sweep + PERIOD_AND_ROUND_MILLIS) {
                        fail(
                                "ended transaction %s (ended at %s) still holds %s in fragment %d, last acquired at "
                                        + "%d, leader since %d",
                                xid, end - start, row, f, acquired - start, elected - start);
                    }
                    long late = Math.max(end + LATE_ACQUIRE_MILLIS + MIN_AGE_MILLIS, elected);
                    if (now > late + PERIOD_AND_ROUND_MILLIS) {
                        fail(
                                "ended transaction %s (ended at %d) still holds %s in fragment %d",
                                xid, end - start, row, f);
                    }
                }
            });
        }
        lockSeen.keySet().retainAll(present);
        SlotMap slots = map.slots();
        forEachHeldRow(live, (tx, b, row) -> {
            Coordinator table = lockTable(logs.get(slots.ownerOf(row)));
            long holder = table == null ? tx.transactionId() : table.lockHolder(row);
            if (holder != tx.transactionId()) {
                fail(
                        "branch %d of %s (%s) registered without row %s (fragment %d; holder %d)",
                        b.branchId(), tx.xid(), tx.status(), row, slots.ownerOf(row), holder);
            }
        });
        for (String xid : acknowledgedCommit) {
            if (Boolean.FALSE.equals(decision.get(xid))) {
                fail("commit of %s acknowledged, then rolled back", xid);
            }
        }
    }

    /** After the quiet period: everything ended, no lock left, replicas equal the committed state. */
    void checkEnd() {
        for (SimLog log : logs.values()) {
            if (log.reference.transactionCount() != 0) {
                fail(
                        "fragment %d: transactions never ended: %s",
                        log.fragmentId,
                        log.reference.transactions().stream()
                                .map(t -> t.xid() + "=" + t.status())
                                .toList());
            }
            Coordinator table = lockTable(log);
            if (map.lockOnly(log.fragmentId) && table == null) {
                fail("lock-only fragment %d has no lock table at the end (leader %s)", log.fragmentId, log.leader());
            }
            if (table.lockCount() != 0) {
                List<String> rows = new ArrayList<>();
                table.forEachLock((row, holder, xid) -> rows.add(row + "@" + xid));
                fail("fragment %d: locks left: %s", log.fragmentId, rows);
            }
            byte[] reference = bytes(log.reference);
            for (SimLog.Replica r : log.replicas.values()) {
                r.catchUp();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    r.stateMachine.snapshot().writeTo(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!java.util.Arrays.equals(out.toByteArray(), reference)) {
                    fail("fragment %d: replica on %s differs from the committed state", log.fragmentId, r.nodeId);
                }
            }
        }
        if (transactions < 100 || endStatus.size() < transactions / 2) {
            fail("too little happened: %d transactions begun, %d ended", transactions, endStatus.size());
        }
        System.out.printf(
                "sim seed %d: %d events, %d transactions (%d ended), %d lock conflicts, %d leader changes, "
                        + "%d map changes, %d node crashes%n",
                seed, events, transactions, endStatus.size(), conflicts, leaderChanges, mapChanges, crashes);
    }

    static byte[] bytes(Coordinator c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SnapshotCodec.write(c.snapshot(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
