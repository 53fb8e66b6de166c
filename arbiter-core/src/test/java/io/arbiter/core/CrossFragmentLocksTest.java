package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import io.arbiter.core.snapshot.CoordinatorSnapshot;
import io.arbiter.core.snapshot.SnapshotCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Row locks across fragments, seen from one fragment (id 1): rows taken for transactions of other fragments, their
 * release, conflicts in both directions, branches with remote rows and the release of those rows on every path by
 * which a transaction's locks go, and the liveness answers of the orphan sweep.
 */
class CrossFragmentLocksTest {
    private static final int SELF = 1;
    private static final String RES = "jdbc:pg";
    private final Coordinator coordinator =
            new Coordinator(SELF, new CoordinatorSettings(100, 800, 1_000, 5_000, 5_000));

    private static long foreignId(int fragment, long counter) {
        return ((long) fragment << CoordinatorState.COUNTER_BITS) | counter;
    }

    private static String xidOf(long id) {
        return "10.0.0.9:8091:" + id;
    }

    private static String row(String table, int pk) {
        return RES + "^^^" + table + "^^^" + pk;
    }

    private Result acquire(long id, long now, String... rows) {
        return coordinator
                .apply(new Command.AcquireLocks(id, xidOf(id), RES, List.of(rows), now))
                .result();
    }

    private String begin(long now, int timeout) {
        return ((Result.Began) coordinator
                        .apply(new Command.Begin("10.0.0.1:8091", "app", "grp", "tx", timeout, now))
                        .result())
                .xid();
    }

    private long register(
            String xid, BranchType type, String lockKey, List<Integer> remoteFragments, List<String> remoteRows) {
        Result r = coordinator
                .apply(new Command.RegisterBranch(xid, type, RES, lockKey, null, "c", 0, remoteFragments, remoteRows))
                .result();
        assertThat(r).isInstanceOf(Result.BranchRegistered.class);
        return ((Result.BranchRegistered) r).branchId();
    }

    private static List<Effect.ReleaseRemoteLocks> releases(Applied applied) {
        return applied.effects().stream()
                .filter(Effect.ReleaseRemoteLocks.class::isInstance)
                .map(Effect.ReleaseRemoteLocks.class::cast)
                .toList();
    }

    private static List<Effect.ReleaseRemoteLocks> releasesOf(String xid, int... fragments) {
        List<Effect.ReleaseRemoteLocks> expected = new ArrayList<>();
        for (int f : fragments) {
            expected.add(new Effect.ReleaseRemoteLocks(f, Xids.transactionId(xid), xid));
        }
        return expected;
    }

    // ---- HandOverLocks / AdoptLocks (moving lock slots) ----

    @Test
    void handOverListsTheForeignHoldersAndRefusesRowsFromThenOnEvenAfterARestore() throws IOException {
        long t1 = foreignId(2, 100);
        long t2 = foreignId(3, 7);
        acquire(t1, 10, row("t", 1), row("t", 2));
        acquire(t2, 11, row("t", 3));
        Result answer = coordinator.apply(new Command.HandOverLocks()).result();
        assertThat(answer)
                .isEqualTo(new Result.ForeignLocks(List.of(
                        new ForeignHolder(t1, xidOf(t1), 10, List.of(row("t", 1), row("t", 2))),
                        new ForeignHolder(t2, xidOf(t2), 11, List.of(row("t", 3))))));
        assertThat(coordinator.lockCount())
                .as("rows stay held here until the new owner has them")
                .isEqualTo(3);
        assertThat(acquire(t1, 12, row("t", 9)))
                .isInstanceOfSatisfying(
                        Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockSlotsMoved));
        assertThat(coordinator.apply(new Command.HandOverLocks()).result())
                .as("idempotent")
                .isEqualTo(answer);
        assertThat(coordinator.apply(new Command.QueryLock(null, RES, "t:5")).result())
                .as("lock queries go to the new owner")
                .isInstanceOfSatisfying(
                        Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockSlotsMoved));
        Coordinator restored = Coordinator.restore(roundTrip(coordinator.snapshot()), CoordinatorSettings.defaults());
        assertThat(restored.apply(new Command.AcquireLocks(t2, xidOf(t2), RES, List.of(row("t", 8)), 13))
                        .result())
                .isInstanceOfSatisfying(
                        Result.Rejected.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.LockSlotsMoved));
        assertThat(new Coordinator(SELF, CoordinatorSettings.defaults())
                        .apply(new Command.AcquireLocks(t2, xidOf(t2), RES, List.of(row("t", 8)), 13))
                        .result())
                .as("a fragment that handed nothing over takes rows")
                .isInstanceOf(Result.LocksTaken.class);
    }

    @Test
    void adoptTakesFreeRowsKeepsHeldOnesAndSkipsEndedTransactionsOfThisFragment() {
        long t1 = foreignId(2, 100);
        long other = foreignId(3, 5);
        acquire(other, 5, row("t", 2));
        String live = begin(0, 60_000);
        String ended = begin(0, 60_000);
        coordinator.apply(new Command.Rollback(ended, 1));
        long liveId = Xids.transactionId(live);
        long endedId = Xids.transactionId(ended);
        coordinator.apply(new Command.AdoptLocks(List.of(
                new ForeignHolder(t1, xidOf(t1), 40, List.of(row("t", 1), row("t", 2))),
                new ForeignHolder(liveId, live, 41, List.of(row("t", 3))),
                new ForeignHolder(endedId, ended, 42, List.of(row("t", 4))))));
        assertThat(coordinator.lockHolder(row("t", 1))).isEqualTo(t1);
        assertThat(coordinator.lockHolder(row("t", 2))).as("left to its holder").isEqualTo(other);
        assertThat(coordinator.lockHolder(row("t", 3))).isEqualTo(liveId);
        assertThat(coordinator.lockHolder(row("t", 4)))
                .as("its transaction ended")
                .isZero();
        assertThat(coordinator.foreignHolder(t1).lastAcquiredAt()).isEqualTo(40);
        // adopted again (a hand-over retried): nothing changes
        coordinator.apply(new Command.AdoptLocks(
                List.of(new ForeignHolder(t1, xidOf(t1), 40, List.of(row("t", 1), row("t", 2))))));
        assertThat(coordinator.lockCount()).isEqualTo(3);
        // a transaction of this fragment that took rows in the fragment that handed them over: they go at its end
        coordinator.apply(new Command.Commit(live, 50));
        assertThat(coordinator.lockHolder(row("t", 3))).isZero();
        assertThat(coordinator.foreignHolder(liveId)).isNull();
        assertThat(coordinator.lockCount()).isEqualTo(2);
    }

    @Test
    void aConflictingAttemptGivesBackOnlyTheRowsNoLaterAttemptClaimedAlsoAfterARestore() throws IOException {
        long t = foreignId(2, 100);
        Command.AcquireLocks first =
                new Command.AcquireLocks(t, xidOf(t), RES, List.of(row("t", 1), row("t", 2)), 10, 1);
        assertThat(coordinator.apply(first).result())
                .isEqualTo(new Result.LocksTaken(List.of(row("t", 1), row("t", 2))));
        // the register is retried (attempt 2, on the transaction's new leader) and counts on row 1, held already
        assertThat(coordinator
                        .apply(new Command.AcquireLocks(t, xidOf(t), RES, List.of(row("t", 1)), 11, 2))
                        .result())
                .isEqualTo(new Result.LocksTaken(List.of()));
        Coordinator restored = Coordinator.restore(roundTrip(coordinator.snapshot()), CoordinatorSettings.defaults());
        for (Coordinator c : List.of(coordinator, restored)) {
            // attempt 1 met a conflict elsewhere and gives back what it took: row 1 is attempt 2's now
            c.apply(new Command.ReleaseLocks(t, List.of(row("t", 1), row("t", 2)), 1));
            assertThat(c.lockHolder(row("t", 1))).isEqualTo(t);
            assertThat(c.lockHolder(row("t", 2))).isZero();
            // the transaction's end gives back everything, whichever attempt claimed it
            c.apply(new Command.ReleaseLocks(t, List.of()));
            assertThat(c.lockCount()).isZero();
            assertThat(c.foreignHolder(t)).isNull();
        }
    }

    // ---- AcquireLocks / ReleaseLocks ----

    @Test
    void acquireTakesAllRowsOrNone() {
        long t1 = foreignId(2, 100);
        long t2 = foreignId(3, 100);
        assertThat(acquire(t1, 10, row("t", 2))).isEqualTo(new Result.LocksTaken(List.of(row("t", 2))));
        Result conflict = acquire(t2, 11, row("t", 1), row("t", 2), row("t", 3));
        assertThat(conflict).isInstanceOf(Result.Rejected.class);
        Result.Rejected rejected = (Result.Rejected) conflict;
        assertThat(rejected.code()).isEqualTo(ErrorCode.LockKeyConflict);
        assertThat(rejected.message()).contains(xidOf(t1)).contains(row("t", 2));
        assertThat(coordinator.lockHolder(row("t", 1)))
                .as("nothing taken on conflict")
                .isZero();
        assertThat(coordinator.lockHolder(row("t", 3))).isZero();
        assertThat(coordinator.foreignHolder(t2)).isNull();
        assertThat(coordinator.lockCount()).isEqualTo(1);
    }

    @Test
    void acquireAgainIsHarmlessAndAnswersOnlyTheNewRows() {
        long t = foreignId(2, 100);
        assertThat(acquire(t, 10, row("t", 1), row("t", 2)))
                .isEqualTo(new Result.LocksTaken(List.of(row("t", 1), row("t", 2))));
        assertThat(acquire(t, 20, row("t", 1), row("t", 2))).isEqualTo(new Result.LocksTaken(List.of()));
        assertThat(acquire(t, 30, row("t", 2), row("t", 3))).isEqualTo(new Result.LocksTaken(List.of(row("t", 3))));
        ForeignHolder holder = coordinator.foreignHolder(t);
        assertThat(holder.xid()).isEqualTo(xidOf(t));
        assertThat(holder.lastAcquiredAt()).isEqualTo(30);
        assertThat(holder.rows()).containsExactly(row("t", 1), row("t", 2), row("t", 3));
        assertThat(coordinator.lockCount()).isEqualTo(3);
    }

    @Test
    void acquireRejectsTransactionsOfThisFragmentAndMismatchedXids() {
        String local = begin(0, 60_000);
        long localId = Xids.transactionId(local);
        Result own = coordinator
                .apply(new Command.AcquireLocks(localId, local, RES, List.of(row("t", 1)), 1))
                .result();
        assertThat(((Result.Rejected) own).code()).isEqualTo(ErrorCode.BranchRegisterFailed);
        long t = foreignId(2, 100);
        Result mismatch = coordinator
                .apply(new Command.AcquireLocks(t, xidOf(t + 1), RES, List.of(row("t", 1)), 1))
                .result();
        assertThat(((Result.Rejected) mismatch).code()).isEqualTo(ErrorCode.BranchRegisterFailed);
        assertThat(coordinator.lockCount()).isZero();
    }

    @Test
    void releaseNamedRowsThenAllIsIdempotentAndForgetsTheHolder() {
        long t = foreignId(2, 100);
        long other = foreignId(2, 200);
        acquire(t, 10, row("t", 1), row("t", 2), row("t", 3));
        acquire(other, 10, row("t", 4));
        assertThat(coordinator
                        .apply(new Command.ReleaseLocks(t, List.of(row("t", 2), row("t", 4))))
                        .result())
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(coordinator.lockHolder(row("t", 2))).isZero();
        assertThat(coordinator.lockHolder(row("t", 4)))
                .as("another holder's row stays")
                .isEqualTo(other);
        assertThat(coordinator.foreignHolder(t).rows()).containsExactly(row("t", 1), row("t", 3));
        coordinator.apply(new Command.ReleaseLocks(t, List.of()));
        assertThat(coordinator.foreignHolder(t)).isNull();
        assertThat(coordinator.lockCount()).isEqualTo(1);
        assertThat(coordinator.apply(new Command.ReleaseLocks(t, List.of())).result())
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(coordinator
                        .apply(new Command.ReleaseLocks(t, List.of(row("t", 1))))
                        .result())
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(coordinator.foreignHolders(Long.MAX_VALUE)).containsExactly(other);
    }

    @Test
    void releaseLeavesRowsOfThisFragmentsTransactionsAlone() {
        String local = begin(0, 60_000);
        register(local, BranchType.AT, "t:1", List.of(), List.of());
        coordinator.apply(new Command.ReleaseLocks(Xids.transactionId(local), List.of()));
        coordinator.apply(new Command.ReleaseLocks(Xids.transactionId(local), List.of(row("t", 1))));
        assertThat(coordinator.lockHolder(row("t", 1))).isEqualTo(Xids.transactionId(local));
    }

    // ---- conflicts between local and foreign holders ----

    @Test
    void aForeignAcquireConflictsWithALocalBranchAndFailsFastWhileItRollsBack() {
        String local = begin(0, 60_000);
        register(local, BranchType.AT, "t:1", List.of(), List.of());
        long t = foreignId(2, 100);
        Result.Rejected conflict = (Result.Rejected) acquire(t, 1, row("t", 0), row("t", 1));
        assertThat(conflict.code()).isEqualTo(ErrorCode.LockKeyConflict);
        assertThat(conflict.message())
                .isEqualTo("Global lock acquire failed xid = " + local + " lock = " + row("t", 1));
        coordinator.apply(new Command.Rollback(local, 2)); // the AT branch's rollback call is out; locks stay
        Result.Rejected failFast = (Result.Rejected) acquire(t, 3, row("t", 1));
        assertThat(failFast.code()).isEqualTo(ErrorCode.LockKeyConflictFailFast);
        assertThat(coordinator.foreignHolder(t)).isNull();
    }

    @Test
    void aLocalRegisterConflictsWithAForeignHolderNamingItsXid() {
        long t = foreignId(2, 100);
        acquire(t, 1, row("t", 1));
        String local = begin(0, 60_000);
        Result r = coordinator
                .apply(new Command.RegisterBranch(local, BranchType.AT, RES, "t:0,1", null, "c", 2))
                .result();
        Result.Rejected rejected = (Result.Rejected) r;
        assertThat(rejected.code())
                .as("a foreign holder's status is unknown here: no fail-fast")
                .isEqualTo(ErrorCode.LockKeyConflict);
        assertThat(rejected.message())
                .isEqualTo("Global lock acquire failed xid = " + xidOf(t) + " lock = " + row("t", 1));
        assertThat(rejected.status()).isEqualTo(GlobalStatus.Begin);
        assertThat(coordinator.lockHolder(row("t", 0))).isZero();
        assertThat(coordinator.apply(new Command.QueryLock(local, RES, "t:1")).result())
                .isEqualTo(new Result.Lockable(false));
        assertThat(coordinator
                        .apply(new Command.QueryLock(xidOf(t), RES, "t:1"))
                        .result())
                .isEqualTo(new Result.Lockable(true));
        assertThat(coordinator.lockHolderXid(row("t", 1))).isEqualTo(xidOf(t));
        assertThat(coordinator.lockHolderXid(row("t", 0))).isNull();
    }

    // ---- branches with remote rows ----

    @Test
    void aBranchWithRemoteRowsLocksOnlyItsLocalRowsAndRemembersTheFragments() {
        String xid = begin(0, 60_000);
        long b = register(xid, BranchType.AT, "t:1,2,3", List.of(4, 2, 4), List.of(row("t", 2), row("t", 3)));
        assertThat(coordinator.lockCount()).isEqualTo(1);
        assertThat(coordinator.lockHolder(row("t", 1))).isEqualTo(Xids.transactionId(xid));
        GlobalTransaction tx = coordinator.transactions().iterator().next();
        assertThat(tx.branch(b).rowKeys()).containsExactly(row("t", 1));
        assertThat(tx.branch(b).remoteFragments()).containsExactly(2, 4);
        assertThat(tx.branch(b).remoteRows()).containsExactly(row("t", 2), row("t", 3));
    }

    @Test
    void aBranchWithRemoteRowsIsAllOrNothingLocally() {
        long t = foreignId(2, 100);
        acquire(t, 1, row("t", 3));
        String xid = begin(0, 60_000);
        Result r = coordinator
                .apply(new Command.RegisterBranch(
                        xid, BranchType.AT, RES, "t:1,2,3", null, "c", 2, List.of(5), List.of(row("t", 2))))
                .result();
        assertThat(((Result.Rejected) r).code()).isEqualTo(ErrorCode.LockKeyConflict);
        assertThat(coordinator.lockHolder(row("t", 1))).isZero();
        assertThat(coordinator.transactions().iterator().next().branches()).isEmpty();
    }

    @Test
    void remoteRowsMustNameOtherFragmentsAndAnAtBranch() {
        String xid = begin(0, 60_000);
        Result self = coordinator
                .apply(new Command.RegisterBranch(
                        xid, BranchType.AT, RES, "t:1,2", null, "c", 1, List.of(SELF), List.of(row("t", 2))))
                .result();
        assertThat(((Result.Rejected) self).code()).isEqualTo(ErrorCode.BranchRegisterFailed);
        Result tcc = coordinator
                .apply(new Command.RegisterBranch(
                        xid, BranchType.TCC, RES, null, null, "c", 1, List.of(2), List.of(row("t", 2))))
                .result();
        assertThat(((Result.Rejected) tcc).code()).isEqualTo(ErrorCode.BranchRegisterFailed);
        assertThat(coordinator.lockCount()).isZero();
    }

    // ---- release of remote rows on every path by which a transaction's locks go ----

    @Test
    void asyncCommitReleasesRemoteRowsAtOnceAscendingAndOnce() {
        String xid = begin(0, 60_000);
        long b1 = register(xid, BranchType.AT, "t:1,2", List.of(7), List.of(row("t", 2)));
        long b2 = register(xid, BranchType.AT, "u:1,2", List.of(3, 7), List.of(row("u", 1), row("u", 2)));
        Applied commit = coordinator.apply(new Command.Commit(xid, 1));
        assertThat(commit.result()).isEqualTo(Result.Status.of(GlobalStatus.Committed));
        assertThat(releases(commit)).containsExactlyElementsOf(releasesOf(xid, 3, 7));
        assertThat(coordinator.lockCount()).isZero();
        coordinator.apply(new Command.BranchOutcome(xid, b1, true, BranchStatus.PhaseTwo_Committed, 2));
        Applied end = coordinator.apply(new Command.BranchOutcome(xid, b2, true, BranchStatus.PhaseTwo_Committed, 3));
        assertThat(end.effects()).contains(new Effect.Outcome(xid, GlobalStatus.Committed));
        assertThat(releases(end)).as("released once").isEmpty();
    }

    @Test
    void synchronousCommitReleasesRemoteRowsWhenItStarts() {
        String xid = begin(0, 60_000);
        register(xid, BranchType.AT, "t:1,2", List.of(2), List.of(row("t", 2)));
        register(xid, BranchType.TCC, null, List.of(), List.of());
        Applied commit = coordinator.apply(new Command.Commit(xid, 1));
        assertThat(commit.result()).isEqualTo(new Result.Status(GlobalStatus.Committing, true));
        assertThat(releases(commit)).containsExactlyElementsOf(releasesOf(xid, 2));
    }

    @Test
    void rollbackReleasesRemoteRowsWhenItEndsNotBefore() {
        String xid = begin(0, 60_000);
        long b = register(xid, BranchType.AT, "t:1,2", List.of(2), List.of(row("t", 2)));
        Applied rollback = coordinator.apply(new Command.Rollback(xid, 1));
        assertThat(releases(rollback))
                .as("rows stay held while the branches are undone")
                .isEmpty();
        assertThat(coordinator.lockHolder(row("t", 1))).isEqualTo(Xids.transactionId(xid));
        Applied end = coordinator.apply(new Command.BranchOutcome(xid, b, false, BranchStatus.PhaseTwo_Rollbacked, 2));
        assertThat(releases(end)).containsExactlyElementsOf(releasesOf(xid, 2));
        assertThat(coordinator.lockCount()).isZero();
    }

    @Test
    void anEmptyRollbackOrFailedRollbackReleasesToo() {
        String quick = begin(0, 60_000);
        register(quick, BranchType.AT, "t:1", List.of(2), List.of(row("t", 1))); // all rows remote
        Applied rollback = coordinator.apply(new Command.Rollback(quick, 1));
        assertThat(releases(rollback)).isEmpty(); // the branch must still be undone
        String failed = begin(0, 60_000);
        long b = register(failed, BranchType.AT, "t:9", List.of(6), List.of(row("t", 9)));
        coordinator.apply(new Command.Rollback(failed, 1));
        Applied fatal = coordinator.apply(
                new Command.BranchOutcome(failed, b, false, BranchStatus.PhaseTwo_RollbackFailed_Unretryable, 2));
        assertThat(fatal.effects()).contains(new Effect.Outcome(failed, GlobalStatus.RollbackFailed));
        assertThat(releases(fatal)).containsExactlyElementsOf(releasesOf(failed, 6));
    }

    @Test
    void timeoutRollbackReleasesRemoteRowsWhenItEnds() {
        String xid = begin(0, 1_000);
        long b = register(xid, BranchType.AT, "t:1,2", List.of(2), List.of(row("t", 2)));
        Applied tick = coordinator.apply(new Command.Tick(1_000));
        assertThat(releases(tick)).isEmpty();
        Applied end =
                coordinator.apply(new Command.BranchOutcome(xid, b, false, BranchStatus.PhaseTwo_Rollbacked, 1_001));
        assertThat(end.effects()).contains(new Effect.Outcome(xid, GlobalStatus.TimeoutRollbacked));
        assertThat(releases(end)).containsExactlyElementsOf(releasesOf(xid, 2));
    }

    @Test
    void aCommitAfterTheDeadlineReleasesWhenTheTimeoutRollbackEnds() {
        String xid = begin(0, 1_000);
        long b = register(xid, BranchType.AT, "t:1", List.of(4), List.of(row("t", 1)));
        assertThat(releases(coordinator.apply(new Command.Commit(xid, 5_000)))).isEmpty();
        assertThat(releases(coordinator.apply(
                        new Command.BranchOutcome(xid, b, false, BranchStatus.PhaseTwo_Rollbacked, 5_001))))
                .containsExactlyElementsOf(releasesOf(xid, 4));
    }

    @Test
    void retryTimeoutReleasesRemoteRows() {
        String xid = begin(0, 60_000);
        long b = register(xid, BranchType.AT, "t:1", List.of(2), List.of(row("t", 1)));
        coordinator.apply(new Command.Rollback(xid, 0));
        List<Effect.ReleaseRemoteLocks> seen = new ArrayList<>();
        for (long now = 100; now < 20_000 && coordinator.transactionCount() > 0; now += 1_100) {
            coordinator.apply(
                    new Command.BranchOutcome(xid, b, false, BranchStatus.PhaseTwo_RollbackFailed_Retryable, now));
            seen.addAll(releases(coordinator.apply(new Command.Tick(now + 1_000))));
        }
        assertThat(coordinator.transactionCount()).isZero();
        assertThat(seen).containsExactlyElementsOf(releasesOf(xid, 2));
    }

    @Test
    void aSagaReportReleasesRemoteRows() {
        String xid = begin(0, 60_000);
        register(xid, BranchType.AT, "t:1", List.of(2), List.of(row("t", 1)));
        Applied report = coordinator.apply(new Command.ReportGlobal(xid, GlobalStatus.Rollbacked, 1));
        assertThat(releases(report)).containsExactlyElementsOf(releasesOf(xid, 2));
        Applied again = coordinator.apply(new Command.ReportGlobal(xid, GlobalStatus.Rollbacked, 2));
        assertThat(releases(again)).isEmpty();
    }

    @Test
    void resumeAsksAgainForTheReleaseOfACommittingTransaction() {
        String xid = begin(0, 60_000);
        register(xid, BranchType.AT, "t:1", List.of(2, 5), List.of(row("t", 1)));
        String rollingBack = begin(0, 60_000);
        register(rollingBack, BranchType.AT, "t:2", List.of(3), List.of(row("t", 2)));
        coordinator.apply(new Command.Commit(xid, 1));
        coordinator.apply(new Command.Rollback(rollingBack, 1));
        Applied resumed = coordinator.apply(new Command.Resume(2));
        assertThat(releases(resumed))
                .as("only where the local locks are gone already")
                .containsExactlyElementsOf(releasesOf(xid, 2, 5));
    }

    @Test
    void transactionsWithoutRemoteRowsEmitNoRelease() {
        String xid = begin(0, 60_000);
        register(xid, BranchType.AT, "t:1", List.of(), List.of());
        assertThat(releases(coordinator.apply(new Command.Commit(xid, 1)))).isEmpty();
    }

    // ---- the orphan sweep's reads ----

    @Test
    void queryAliveListsOnlyTransactionsThatAreDefinitelyOver() {
        String live = begin(1_000, 60_000);
        String ended = begin(1_000, 60_000);
        coordinator.apply(new Command.Rollback(ended, 1_001));
        long liveId = Xids.transactionId(live);
        long endedId = Xids.transactionId(ended);
        long neverBegunBelow = liveId - 3; // below the counter, never handed out
        long aboveTheCounter = endedId + 1_000_000;
        long otherFragment = foreignId(2, 5);
        Result r = coordinator
                .apply(new Command.QueryAlive(
                        List.of(liveId, endedId, neverBegunBelow, aboveTheCounter, otherFragment, endedId, -1L, 0L)))
                .result();
        assertThat(r).isEqualTo(new Result.Liveness(List.of(endedId, neverBegunBelow)));
        // a read: nothing changed
        assertThat(coordinator.apply(new Command.QueryStatus(live)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Begin));
    }

    @Test
    void anIdAboveTheCounterIsNotOverUntilHandedOutAndEnded() {
        String first = begin(0, 60_000);
        long next = Xids.transactionId(first) + 1;
        assertThat(coordinator.apply(new Command.QueryAlive(List.of(next))).result())
                .isEqualTo(new Result.Liveness(List.of()));
        String second = begin(0, 60_000);
        assertThat(Xids.transactionId(second)).isEqualTo(next);
        assertThat(coordinator.apply(new Command.QueryAlive(List.of(next))).result())
                .isEqualTo(new Result.Liveness(List.of()));
        coordinator.apply(new Command.Commit(second, 1));
        assertThat(coordinator.apply(new Command.QueryAlive(List.of(next))).result())
                .isEqualTo(new Result.Liveness(List.of(next)));
    }

    @Test
    void foreignHoldersAreListedByTheTimeOfTheirLatestAcquisition() {
        long a = foreignId(2, 300);
        long b = foreignId(3, 100);
        long c = foreignId(2, 200);
        acquire(a, 10, row("t", 1));
        acquire(b, 20, row("t", 2));
        acquire(c, 30, row("t", 3));
        assertThat(coordinator.foreignHolders(25)).containsExactly(a, b);
        acquire(a, 40, row("t", 1)); // taken again: fresh
        assertThat(coordinator.foreignHolders(25)).containsExactly(b);
        assertThat(coordinator.foreignHolders(41)).containsExactly(c, a, b).isSortedAccordingTo(Long::compare);
        assertThat(coordinator.apply(new Command.ListForeignHolders(41)).result())
                .isEqualTo(new Result.Holders(List.of(c, a, b)));
        assertThat(Xids.fragmentOf(b)).isEqualTo(3);
        coordinator.apply(new Command.ReleaseLocks(b, List.of(row("t", 2))));
        assertThat(coordinator.foreignHolders(41)).containsExactly(c, a);
    }

    @Test
    void theLockListingNamesEveryHolder() {
        long t = foreignId(2, 100);
        acquire(t, 1, row("t", 1));
        String local = begin(0, 60_000);
        register(local, BranchType.AT, "t:2", List.of(), List.of());
        Map<String, String> listing = new HashMap<>();
        coordinator.forEachLock((row, holder, xid) -> {
            assertThat(Xids.transactionId(xid)).isEqualTo(holder);
            listing.put(row, xid);
        });
        assertThat(listing).containsOnly(Map.entry(row("t", 1), xidOf(t)), Map.entry(row("t", 2), local));
    }

    // ---- snapshots ----

    @Test
    void foreignHoldersAndRemoteBranchesSurviveASnapshot() throws IOException {
        long t = foreignId(2, 100);
        acquire(t, 77, row("t", 1), row("t", 2));
        String xid = begin(0, 60_000);
        register(xid, BranchType.AT, "u:1,2", List.of(3), List.of(row("u", 2)));
        Coordinator restored = Coordinator.restore(roundTrip(coordinator.snapshot()), CoordinatorSettings.defaults());
        assertThat(restored.foreignHolder(t).xid()).isEqualTo(xidOf(t));
        assertThat(restored.foreignHolder(t).lastAcquiredAt()).isEqualTo(77);
        assertThat(restored.foreignHolder(t).rows()).containsExactly(row("t", 1), row("t", 2));
        assertThat(restored.lockHolder(row("t", 2))).isEqualTo(t);
        assertThat(restored.lockHolder(row("u", 1))).isEqualTo(Xids.transactionId(xid));
        assertThat(restored.lockCount()).isEqualTo(3);
        assertThat(releases(restored.apply(new Command.Commit(xid, 1)))).containsExactlyElementsOf(releasesOf(xid, 3));
        restored.apply(new Command.ReleaseLocks(t, List.of()));
        assertThat(restored.lockCount()).isZero();
        assertThat(restored.foreignHolders(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aSnapshotIsNotChangedByLaterLockCommands() throws IOException {
        long t = foreignId(2, 100);
        acquire(t, 10, row("t", 1));
        CoordinatorSnapshot snapshot = coordinator.snapshot();
        byte[] before = bytes(snapshot);
        acquire(t, 20, row("t", 2));
        coordinator.apply(new Command.ReleaseLocks(t, List.of(row("t", 1))));
        acquire(foreignId(2, 200), 30, row("t", 3));
        assertThat(bytes(snapshot)).isEqualTo(before);
        assertThat(snapshot.foreignHolders()).hasSize(1);
        assertThat(snapshot.foreignHolders().get(0).rows()).containsExactly(row("t", 1));
        assertThat(coordinator.foreignHolder(t).rows()).containsExactly(row("t", 2));
    }

    private static byte[] bytes(CoordinatorSnapshot snapshot) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.write(snapshot, out);
        return out.toByteArray();
    }

    private static CoordinatorSnapshot roundTrip(CoordinatorSnapshot snapshot) throws IOException {
        return SnapshotCodec.read(new ByteArrayInputStream(bytes(snapshot)));
    }
}
