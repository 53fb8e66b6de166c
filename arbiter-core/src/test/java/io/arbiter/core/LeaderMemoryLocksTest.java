package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.lock.LockTable;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.result.Result;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A lock-only fragment's table in its leader's memory ({@code docs/LOCKS.md} "Locks in the leader's memory"): it grants
 * nothing until rebuilt for the leader's term, grants carry the term, a new term starts empty, releases during the
 * rebuild are kept; and, in a transaction fragment, {@link Command.FenceAndList} voids older grants and lists the
 * live rows in the lock fragment's slots.
 */
class LeaderMemoryLocksTest {
    private static final String RES = "jdbc:pg";
    private static final int LOCK_FRAGMENT = 0;
    private final Coordinator lockLeader = new Coordinator(LOCK_FRAGMENT, CoordinatorSettings.defaults());
    private final Coordinator txFragment = new Coordinator(1, CoordinatorSettings.defaults());

    private static long idIn(int fragment, long counter) {
        return ((long) fragment << CoordinatorState.COUNTER_BITS) | counter;
    }

    private static String row(int pk) {
        return RES + "^^^stock^^^" + pk;
    }

    private static Command.AcquireLocks acquire(long tx, String... rows) {
        return new Command.AcquireLocks(tx, "10.0.0.1:8091:" + tx, RES, List.of(rows), 1_000, 7);
    }

    private static BitSet allSlots() {
        BitSet all = new BitSet();
        all.set(0, LockTable.SLOTS);
        return all;
    }

    @Test
    void aLockBatchRunsItsCommandsInOrderAsIfEachCameAlone() {
        long t1 = idIn(1, 10);
        long t2 = idIn(2, 20);
        Command.LockBatch batch = new Command.LockBatch(List.of(
                acquire(t1, row(1)),
                acquire(t2, row(1), row(2)), // conflicts with t1's row: takes nothing
                new Command.ReleaseLocks(t1, List.of()),
                acquire(t2, row(1), row(2)))); // t1's row is free again
        lockLeader.leaderLocksTerm(4);
        lockLeader.leaderLocks(new Command.RebuildLocks(4, List.of()), 4);
        Result inMemory = lockLeader.leaderLocks(batch, 4);
        assertThat(inMemory).isInstanceOfSatisfying(Result.Batch.class, b -> {
            assertThat(b.results()).hasSize(4);
            assertThat(b.results().get(0)).isEqualTo(new Result.LocksTaken(List.of(row(1)), 4));
            assertThat(b.results().get(1))
                    .isInstanceOfSatisfying(
                            Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockKeyConflict));
            assertThat(b.results().get(2)).isEqualTo(Result.Done.INSTANCE);
            assertThat(b.results().get(3)).isEqualTo(new Result.LocksTaken(List.of(row(1), row(2)), 4));
        });
        assertThat(lockLeader.lockHolder(row(2))).isEqualTo(t2);

        // the same batch as a log entry (a fragment that is not lock-only): the same answers, without grant terms
        Coordinator replicatedLocks = new Coordinator(3, CoordinatorSettings.defaults());
        Result replicated = replicatedLocks.apply(batch).result();
        assertThat(replicated).isInstanceOfSatisfying(Result.Batch.class, b -> {
            assertThat(b.results().get(0)).isEqualTo(new Result.LocksTaken(List.of(row(1))));
            assertThat(b.results().get(1)).isInstanceOf(Result.Rejected.class);
            assertThat(b.results().get(3)).isEqualTo(new Result.LocksTaken(List.of(row(1), row(2))));
        });
        assertThat(replicatedLocks.lockHolder(row(1))).isEqualTo(t2);
    }

    @Test
    void grantsNothingUntilRebuiltForItsTermAndGrantsCarryTheTerm() {
        long t1 = idIn(1, 10);
        assertThat(lockLeader.leaderLocks(acquire(t1, row(1)), -1))
                .isInstanceOfSatisfying(
                        Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockTableNotReady));
        lockLeader.leaderLocksTerm(3);
        assertThat(lockLeader.leaderLocks(acquire(t1, row(1)), 3))
                .isInstanceOfSatisfying(
                        Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockTableNotReady));
        assertThat(lockLeader.leaderRead(new Command.QueryLock("10.0.0.1:8091:5", RES, "stock:1"), 3))
                .isInstanceOf(Result.Rejected.class);
        long held = idIn(2, 20);
        // a release that comes in while the rows are collected applies on top of them
        long released = idIn(2, 21);
        assertThat(lockLeader.leaderLocks(new Command.ReleaseLocks(released, List.of()), 3))
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(lockLeader.leaderLocks(
                        new Command.RebuildLocks(
                                3,
                                List.of(
                                        new ForeignHolder(held, "x:" + held, 5, List.of(row(1))),
                                        new ForeignHolder(released, "x:" + released, 5, List.of(row(2))))),
                        3))
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(lockLeader.lockHolder(row(1))).isEqualTo(held);
        assertThat(lockLeader.lockHolder(row(2))).isZero();
        assertThat(lockLeader.leaderLocks(acquire(t1, row(1)), 3))
                .isInstanceOfSatisfying(
                        Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockKeyConflict));
        assertThat(lockLeader.leaderLocks(acquire(t1, row(2), row(3)), 3))
                .isEqualTo(new Result.LocksTaken(List.of(row(2), row(3)), 3));
        // a rebuild of a past term, or a second one, changes nothing
        assertThat(lockLeader.leaderLocks(new Command.RebuildLocks(3, List.of()), 3))
                .isInstanceOf(Result.Rejected.class);
        assertThat(lockLeader.lockHolder(row(3))).isEqualTo(t1);
        // the next term starts empty; a replica that does not lead grants nothing
        lockLeader.leaderLocksTerm(4);
        assertThat(lockLeader.lockCount()).isZero();
        assertThat(lockLeader.leaderLocks(new Command.RebuildLocks(3, List.of()), 4))
                .isInstanceOf(Result.Rejected.class);
        lockLeader.leaderLocksTerm(-1);
        assertThat(lockLeader.leaderLocks(new Command.RebuildLocks(4, List.of()), 4))
                .isInstanceOf(Result.Rejected.class);
        assertThat(lockLeader.leaderLocks(new Command.ReleaseLocks(t1, List.of()), -1))
                .isInstanceOf(Result.Rejected.class);
    }

    @Test
    void aFenceVoidsOlderGrantsAndListsTheLiveRowsInTheSlotsAsked() {
        String xid = ((Result.Began) txFragment
                        .apply(new Command.Begin("10.0.0.1:8091", "app", "grp", "tx", 60_000, 1_000))
                        .result())
                .xid();
        Command.RegisterBranch granted = new Command.RegisterBranch(
                xid,
                BranchType.AT,
                RES,
                "stock:1,2",
                null,
                "c",
                1_000,
                List.of(LOCK_FRAGMENT),
                List.of(row(1), row(2)),
                List.of(5L));
        assertThat(txFragment.apply(granted).result()).isInstanceOf(Result.BranchRegistered.class);

        BitSet onlyRow1 = new BitSet();
        onlyRow1.set(LockTable.slotOf(row(1)));
        Result listed = txFragment
                .apply(new Command.FenceAndList(LOCK_FRAGMENT, 6, onlyRow1))
                .result();
        assertThat(listed)
                .isInstanceOfSatisfying(
                        Result.ForeignLocks.class,
                        l -> assertThat(l.holders()).singleElement().satisfies(h -> {
                            assertThat(h.xid()).isEqualTo(xid);
                            assertThat(h.rows()).containsExactly(row(1));
                        }));
        // a grant of term 5 is void now, one of term 6 stands, a lower fence changes nothing
        txFragment.apply(new Command.FenceAndList(LOCK_FRAGMENT, 2, onlyRow1));
        Result stale = registerRow3(xid, 5);
        assertThat(stale)
                .isInstanceOfSatisfying(
                        Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockGrantVoid));
        assertThat(registerRow3(xid, 6)).isInstanceOf(Result.BranchRegistered.class);
        // the fence survives a snapshot; a committed AT transaction (its locks released) is no longer listed
        Coordinator restored = Coordinator.restore(txFragment.snapshot(), CoordinatorSettings.defaults());
        assertThat(restored.snapshot().lockFences()).containsEntry(LOCK_FRAGMENT, 6L);
        restored.apply(new Command.Commit(xid, 1_002));
        Result after = restored.apply(new Command.FenceAndList(LOCK_FRAGMENT, 7, allSlots()))
                .result();
        assertThat(((Result.ForeignLocks) after).holders()).isEmpty();
    }

    /** Registers an AT branch of {@code xid} on row 3, taken in the lock fragment under {@code grantTerm}. */
    private Result registerRow3(String xid, long grantTerm) {
        return txFragment
                .apply(new Command.RegisterBranch(
                        xid,
                        BranchType.AT,
                        RES,
                        "stock:3",
                        null,
                        "c",
                        1_001,
                        List.of(LOCK_FRAGMENT),
                        List.of(row(3)),
                        List.of(grantTerm)))
                .result();
    }
}
