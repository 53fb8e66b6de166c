package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoordinatorTest {
    private final Coordinator coordinator = new Coordinator(0, new CoordinatorSettings(100, 800, 1_000, 5_000, 5_000));

    private String begin(long now, int timeout) {
        Result r = coordinator
                .apply(new Command.Begin("10.0.0.1:8091", "app", "grp", "tx", timeout, now))
                .result();
        return ((Result.Began) r).xid();
    }

    private long register(String xid, BranchType type, String lockKey) {
        Result r = coordinator
                .apply(new Command.RegisterBranch(xid, type, "jdbc:pg", lockKey, "{}", "app:1.2.3.4:5", 0))
                .result();
        assertThat(r).isInstanceOf(Result.BranchRegistered.class);
        return ((Result.BranchRegistered) r).branchId();
    }

    private static List<Effect.SendPhaseTwo> sends(Applied applied) {
        return applied.effects().stream()
                .filter(Effect.SendPhaseTwo.class::isInstance)
                .map(Effect.SendPhaseTwo.class::cast)
                .toList();
    }

    @Test
    void beginAssignsXidWithHostPortAndPositiveId() {
        String xid = begin(0, 60_000);
        assertThat(xid).matches("10\\.0\\.0\\.1:8091:\\d+");
        assertThat(Xids.transactionId(xid)).isPositive();
        assertThat(coordinator.apply(new Command.QueryStatus(xid)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Begin));
    }

    @Test
    void emptyTransactionCommitsAndRollsBackAtOnce() {
        String a = begin(0, 60_000);
        assertThat(coordinator.apply(new Command.Commit(a, 1)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Committed));
        String b = begin(0, 60_000);
        assertThat(coordinator.apply(new Command.Rollback(b, 1)).result())
                .isEqualTo(new Result.Status(GlobalStatus.Rollbacked, false));
        assertThat(coordinator.transactionCount()).isZero();
        assertThat(coordinator.apply(new Command.QueryStatus(a)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Finished));
    }

    @Test
    void aCommitOrRollbackRetriedAfterTheEndAnswersTheFinalStatus() {
        String committed = begin(0, 60_000);
        long b = register(committed, BranchType.TCC, null);
        coordinator.apply(new Command.Commit(committed, 1));
        coordinator.apply(new Command.BranchOutcome(committed, b, true, BranchStatus.PhaseTwo_Committed, 2));
        assertThat(coordinator.transactionCount()).isZero();
        // the TM's first commit was applied but its answer lost (leader died): the retry must not hear Finished
        assertThat(coordinator.apply(new Command.Commit(committed, 3)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Committed));
        String rolledBack = begin(4, 60_000);
        coordinator.apply(new Command.Rollback(rolledBack, 5));
        assertThat(coordinator.apply(new Command.Rollback(rolledBack, 6)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Rollbacked));
        assertThat(coordinator.apply(new Command.Commit(rolledBack, 7)).result())
                .as("Seata's client would take Rollbacked as a successful commit")
                .isEqualTo(Result.Status.of(GlobalStatus.Finished));
        // status queries keep Seata's answer for a transaction that is gone
        assertThat(coordinator.apply(new Command.QueryStatus(committed)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Finished));
        // an XID never handed out is still Finished
        String never = committed.substring(0, committed.lastIndexOf(':') + 1) + (Xids.transactionId(committed) + 999);
        assertThat(coordinator.apply(new Command.Commit(never, 8)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Finished));
        assertThat(coordinator.apply(new Command.Commit("not-an-xid", 9)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Finished));
    }

    @Test
    void endedStatusesSurviveASnapshotAndAreBounded() throws Exception {
        String committed = begin(0, 60_000);
        coordinator.apply(new Command.Commit(committed, 1));
        var out = new java.io.ByteArrayOutputStream();
        io.arbiter.core.snapshot.SnapshotCodec.write(coordinator.snapshot(), out);
        Coordinator restored = Coordinator.restore(
                io.arbiter.core.snapshot.SnapshotCodec.read(new java.io.ByteArrayInputStream(out.toByteArray())),
                CoordinatorSettings.defaults());
        assertThat(restored.apply(new Command.Commit(committed, 2)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Committed));

        for (int i = 0; i < CoordinatorState.ENDED_CAPACITY; i++) {
            String xid = ((Result.Began)
                            restored.apply(new Command.Begin("10.0.0.1:8091", "app", "grp", "t", 60_000, 10 + i))
                                    .result())
                    .xid();
            restored.apply(new Command.Rollback(xid, 10 + i));
        }
        assertThat(restored.apply(new Command.Commit(committed, 20 + CoordinatorState.ENDED_CAPACITY))
                        .result())
                .as("the oldest ended transaction is forgotten once the capacity is reached")
                .isEqualTo(Result.Status.of(GlobalStatus.Finished));
    }

    @Test
    void tccCommitCallsEveryBranchAndWaitsForOutcome() {
        String xid = begin(0, 60_000);
        long b1 = register(xid, BranchType.TCC, null);
        long b2 = register(xid, BranchType.TCC, null);
        Applied commit = coordinator.apply(new Command.Commit(xid, 10));
        assertThat(commit.result()).isEqualTo(new Result.Status(GlobalStatus.Committing, true));
        assertThat(sends(commit)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(b1, b2);
        assertThat(coordinator.apply(new Command.Commit(xid, 10)).result())
                .as("a retried commit waits as well")
                .isEqualTo(new Result.Status(GlobalStatus.Committing, true));
        coordinator.apply(new Command.BranchOutcome(xid, b1, true, BranchStatus.PhaseTwo_Committed, 11));
        Applied last = coordinator.apply(new Command.BranchOutcome(xid, b2, true, BranchStatus.PhaseTwo_Committed, 12));
        assertThat(last.effects()).contains(new Effect.Outcome(xid, GlobalStatus.Committed));
        assertThat(coordinator.transactionCount()).isZero();
    }

    @Test
    void rollbackGoesInReverseOrderOneAtATime() {
        String xid = begin(0, 60_000);
        long b1 = register(xid, BranchType.TCC, null);
        long b2 = register(xid, BranchType.TCC, null);
        Applied rollback = coordinator.apply(new Command.Rollback(xid, 10));
        assertThat(sends(rollback)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(b2);
        Applied next =
                coordinator.apply(new Command.BranchOutcome(xid, b2, false, BranchStatus.PhaseTwo_Rollbacked, 11));
        assertThat(sends(next)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(b1);
        Applied done =
                coordinator.apply(new Command.BranchOutcome(xid, b1, false, BranchStatus.PhaseTwo_Rollbacked, 12));
        assertThat(done.effects()).contains(new Effect.Outcome(xid, GlobalStatus.Rollbacked));
    }

    @Test
    void retryableFailureIsRetriedWithBackoffUntilSuccess() {
        String xid = begin(0, 60_000);
        long b1 = register(xid, BranchType.TCC, null);
        coordinator.apply(new Command.Commit(xid, 0));
        Applied fail = coordinator.apply(
                new Command.BranchOutcome(xid, b1, true, BranchStatus.PhaseTwo_CommitFailed_Retryable, 5));
        assertThat(fail.effects()).contains(new Effect.Outcome(xid, GlobalStatus.CommitRetrying));
        assertThat(sends(coordinator.apply(new Command.Tick(50)))).isEmpty();
        Applied retry = coordinator.apply(new Command.Tick(5 + 100));
        assertThat(sends(retry)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(b1);
        coordinator.apply(new Command.BranchOutcome(xid, b1, true, null, 110)); // call failed: no RM
        Applied retry2 = coordinator.apply(new Command.Tick(110 + 200));
        assertThat(sends(retry2)).hasSize(1);
        Applied ok = coordinator.apply(new Command.BranchOutcome(xid, b1, true, BranchStatus.PhaseTwo_Committed, 320));
        assertThat(ok.effects()).contains(new Effect.Outcome(xid, GlobalStatus.Committed));
    }

    @Test
    void anXaBranchTheDatabaseDoesNotKnowIsDoneOnceItsTransactionIsLongPastItsTimeout() {
        // timeout 20 s: XAER_NOTA counts as done after begin + 20 s + max(60 s, 20 s) = 80 s, as in Seata's server
        String xid = begin(0, 20_000);
        long b = register(xid, BranchType.XA, null);
        coordinator.apply(new Command.Rollback(xid, 1_000));
        Applied early = coordinator.apply(new Command.BranchOutcome(
                xid, b, false, BranchStatus.PhaseTwo_RollbackFailed_XAER_NOTA_Retryable, 80_000));
        assertThat(early.effects()).contains(new Effect.Outcome(xid, GlobalStatus.RollbackRetrying));

        Applied late = coordinator.apply(new Command.BranchOutcome(
                xid, b, false, BranchStatus.PhaseTwo_RollbackFailed_XAER_NOTA_Retryable, 80_001));
        assertThat(late.effects()).contains(new Effect.Outcome(xid, GlobalStatus.Rollbacked));
        assertThat(coordinator.transactionCount()).isZero();

        String committing = begin(0, 90_000); // a timeout above 60 s counts twice: 180 s
        long c = register(committing, BranchType.XA, null);
        coordinator.apply(new Command.Commit(committing, 1_000));
        assertThat(coordinator
                        .apply(new Command.BranchOutcome(
                                committing, c, true, BranchStatus.PhaseTwo_CommitFailed_XAER_NOTA_Retryable, 170_000))
                        .effects())
                .doesNotContain(new Effect.Outcome(committing, GlobalStatus.Committed));
        assertThat(coordinator
                        .apply(new Command.BranchOutcome(
                                committing, c, true, BranchStatus.PhaseTwo_CommitFailed_XAER_NOTA_Retryable, 180_001))
                        .effects())
                .contains(new Effect.Outcome(committing, GlobalStatus.Committed));
    }

    @Test
    void retryDeadlineEndsInRetryTimeout() {
        String xid = begin(0, 60_000);
        long b1 = register(xid, BranchType.TCC, null);
        coordinator.apply(new Command.Rollback(xid, 0));
        long now = 0;
        GlobalStatus outcome = null;
        while (outcome == null && now < 60_000) {
            now += 100;
            coordinator.apply(
                    new Command.BranchOutcome(xid, b1, false, BranchStatus.PhaseTwo_RollbackFailed_Retryable, now));
            for (Effect e : coordinator.apply(new Command.Tick(now + 1_000)).effects()) {
                if (e instanceof Effect.Outcome o && o.status().isFinal()) {
                    outcome = o.status();
                }
            }
            now += 1_000;
        }
        assertThat(outcome).isEqualTo(GlobalStatus.RollbackRetryTimeout);
        assertThat(coordinator.transactionCount()).isZero();
    }

    @Test
    void atOnlyCommitIsAsyncAndReleasesLocksAtOnce() {
        String xid = begin(0, 60_000);
        long b = register(xid, BranchType.AT, "stock:1,2");
        assertThat(coordinator.lockCount()).isEqualTo(2);
        Applied commit = coordinator.apply(new Command.Commit(xid, 1));
        assertThat(commit.result()).isEqualTo(Result.Status.of(GlobalStatus.Committed));
        assertThat(coordinator.lockCount()).isZero();
        assertThat(sends(commit)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(b);
        assertThat(coordinator.apply(new Command.QueryStatus(xid)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.AsyncCommitting));
        coordinator.apply(new Command.BranchOutcome(xid, b, true, BranchStatus.PhaseTwo_Committed, 2));
        assertThat(coordinator.transactionCount()).isZero();
    }

    @Test
    void readsAnswerAsAppliedCommandsWouldAndChangeNothing() throws Exception {
        String holder = begin(0, 60_000);
        register(holder, BranchType.AT, "stock:1");
        String other = begin(0, 60_000);
        coordinator.apply(new Command.RegisterBranch(other, BranchType.AT, "jdbc:pg", "stock:1", null, "c", 1));
        long foreign = (1L << CoordinatorState.COUNTER_BITS) + 7; // a transaction of fragment 1
        assertThat(coordinator
                        .apply(new Command.AcquireLocks(
                                foreign, "10.0.0.2:8091:" + foreign, "jdbc:pg", List.of("jdbc:pg^^^t^^^9"), 0))
                        .result())
                .isInstanceOf(Result.LocksTaken.class);
        List<Command.Read> reads = List.of(
                new Command.QueryStatus(holder),
                new Command.QueryStatus("10.0.0.1:8091:999999"),
                new Command.QueryLock(null, "jdbc:pg", "stock:1"),
                new Command.QueryLock(holder, "jdbc:pg", "stock:1"),
                new Command.QueryAlive(List.of(Xids.transactionId(holder), Xids.transactionId(holder) + 5)),
                new Command.ListForeignHolders(Long.MAX_VALUE),
                new Command.ListTransactions(io.arbiter.core.view.TransactionFilter.ALL, 10),
                new Command.ListLocks(io.arbiter.core.view.LockFilter.ALL, 10),
                new Command.ListContention(10));
        byte[] before = snapshotBytes();
        for (Command.Read read : reads) {
            Result answer = coordinator.read(read);
            assertThat(answer).as("%s", read).isNotInstanceOf(Result.Rejected.class);
            assertThat(snapshotBytes()).as("state after %s", read).isEqualTo(before);
            assertThat(answer).as("%s", read).isEqualTo(coordinator.apply(read).result());
        }
        assertThat(coordinator.read(new Command.QueryLock(null, "jdbc:pg", "stock:1")))
                .isEqualTo(new Result.Lockable(false));
    }

    private byte[] snapshotBytes() throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.arbiter.core.snapshot.SnapshotCodec.write(coordinator.snapshot(), out);
        return out.toByteArray();
    }

    @Test
    void lockConflictAndFailFastWhileHolderRollsBack() {
        String holder = begin(0, 60_000);
        register(holder, BranchType.AT, "stock:1");
        String other = begin(0, 60_000);
        Result conflict = coordinator
                .apply(new Command.RegisterBranch(other, BranchType.AT, "jdbc:pg", "stock:1", null, "c", 1))
                .result();
        assertThat(conflict).isInstanceOf(Result.Rejected.class);
        assertThat(((Result.Rejected) conflict).code()).isEqualTo(ErrorCode.LockKeyConflict);
        assertThat(coordinator
                        .apply(new Command.QueryLock(null, "jdbc:pg", "stock:1"))
                        .result())
                .isEqualTo(new Result.Lockable(false));
        assertThat(coordinator
                        .apply(new Command.QueryLock(holder, "jdbc:pg", "stock:1"))
                        .result())
                .isEqualTo(new Result.Lockable(true));
        coordinator.apply(new Command.Rollback(holder, 2));
        Result failFast = coordinator
                .apply(new Command.RegisterBranch(other, BranchType.AT, "jdbc:pg", "stock:1", null, "c", 3))
                .result();
        assertThat(((Result.Rejected) failFast).code()).isEqualTo(ErrorCode.LockKeyConflictFailFast);
        // other rows and the same transaction are fine
        register(other, BranchType.AT, "stock:2");
    }

    @Test
    void timeoutRollsBackAndLateCommitDoesNotCommit() {
        String xid = begin(0, 1_000);
        long b = register(xid, BranchType.TCC, null);
        Applied tick = coordinator.apply(new Command.Tick(1_000));
        assertThat(sends(tick)).extracting(Effect.SendPhaseTwo::commit).containsExactly(false);
        assertThat(coordinator.apply(new Command.Commit(xid, 1_001)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.TimeoutRollbacking));
        coordinator.apply(new Command.BranchOutcome(xid, b, false, BranchStatus.PhaseTwo_Rollbacked, 1_002));
        assertThat(coordinator.apply(new Command.Commit(xid, 1_003)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.TimeoutRollbacked));
    }

    @Test
    void commitAfterDeadlineBeforeTickTimesOut() {
        String xid = begin(0, 1_000);
        assertThat(coordinator.apply(new Command.Commit(xid, 5_000)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.TimeoutRollbacking));
    }

    @Test
    void branchRegisterRules() {
        Result missing = coordinator
                .apply(new Command.RegisterBranch("h:1:999", BranchType.AT, "r", "t:1", null, "c", 0))
                .result();
        assertThat(((Result.Rejected) missing).code()).isEqualTo(ErrorCode.GlobalTransactionNotExist);
        String xid = begin(0, 60_000);
        register(xid, BranchType.TCC, null);
        coordinator.apply(new Command.Commit(xid, 1));
        Result late = coordinator
                .apply(new Command.RegisterBranch(xid, BranchType.TCC, "r", null, null, "c", 2))
                .result();
        assertThat(((Result.Rejected) late).code()).isEqualTo(ErrorCode.GlobalTransactionStatusInvalid);
        Result bad = coordinator
                .apply(new Command.RegisterBranch(begin(0, 1000), BranchType.AT, "r", "nocolon", null, "c", 2))
                .result();
        assertThat(((Result.Rejected) bad).code()).isEqualTo(ErrorCode.BranchRegisterFailed);
    }

    @Test
    void sagaReportEndsTransaction() {
        String xid = begin(0, 60_000);
        register(xid, BranchType.SAGA, null);
        assertThat(coordinator
                        .apply(new Command.ReportGlobal(xid, GlobalStatus.Committed, 1))
                        .result())
                .isEqualTo(Result.Status.of(GlobalStatus.Committed));
        assertThat(coordinator.transactionCount()).isZero();
        // a contradicting report after the end hears how it ended
        assertThat(coordinator
                        .apply(new Command.ReportGlobal(xid, GlobalStatus.Rollbacked, 1))
                        .result())
                .isEqualTo(Result.Status.of(GlobalStatus.Committed));
        // one the coordinator never knew is taken at its word (Seata's TC does the same)
        assertThat(coordinator
                        .apply(new Command.ReportGlobal("10.0.0.1:8091:42", GlobalStatus.Rollbacked, 1))
                        .result())
                .isEqualTo(Result.Status.of(GlobalStatus.Rollbacked));
    }

    @Test
    void aSagaReportedFinishedEndsRolledBackAsSeatasSagaCoreRecordsIt() {
        String xid = begin(0, 60_000);
        register(xid, BranchType.SAGA, null);
        assertThat(coordinator
                        .apply(new Command.ReportGlobal(xid, GlobalStatus.Finished, 1))
                        .result())
                .isEqualTo(Result.Status.of(GlobalStatus.Rollbacked));
        assertThat(coordinator.transactionCount()).isZero();
        assertThat(coordinator
                        .apply(new Command.ReportGlobal(xid, GlobalStatus.Committed, 2))
                        .result())
                .isEqualTo(Result.Status.of(GlobalStatus.Rollbacked));
    }

    @Test
    void aSagaReportedForRetryIsDrivenByTheCoordinatorUntilTheSagaRmFinishesIt() {
        String xid = begin(0, 60_000);
        register(xid, BranchType.SAGA, null);
        // the engine could not finish (a state with an unknown outcome): it hands the commit to the coordinator
        Applied reported = coordinator.apply(new Command.ReportGlobal(xid, GlobalStatus.CommitRetrying, 10));
        assertThat(reported.result()).isEqualTo(Result.Status.of(GlobalStatus.CommitRetrying));
        assertThat(sends(reported))
                .as("the first call waits for the retry timer")
                .isEmpty();
        assertThat(sends(coordinator.apply(new Command.Tick(109)))).isEmpty();
        Applied due = coordinator.apply(new Command.Tick(110)); // one retry back-off (here 100 ms) after the report
        assertThat(sends(due)).singleElement().satisfies(s -> {
            assertThat(s.branchId()).isEqualTo(-1);
            assertThat(s.commit()).isTrue();
            assertThat(s.type()).isEqualTo(BranchType.SAGA);
        });
        // a repeated report while the retries run calls nothing at once
        assertThat(sends(coordinator.apply(new Command.ReportGlobal(xid, GlobalStatus.CommitRetrying, 200))))
                .isEmpty();
        // the forward compensated instead (the saga RM says where the state machine ended): rolled back
        coordinator.apply(new Command.BranchOutcome(xid, -1, true, BranchStatus.PhaseTwo_Rollbacked, 201));
        assertThat(coordinator.transactionCount()).isZero();
        assertThat(coordinator
                        .apply(new Command.ReportGlobal(xid, GlobalStatus.Committed, 202))
                        .result())
                .isEqualTo(Result.Status.of(GlobalStatus.Rollbacked));
    }

    @Test
    void aSagaRmAnswerCanTurnTheRetriesTheOtherWay() {
        String xid = begin(0, 60_000);
        register(xid, BranchType.SAGA, null);
        coordinator.apply(new Command.ReportGlobal(xid, GlobalStatus.UnKnown, 10));
        List<Effect.SendPhaseTwo> first = sends(coordinator.apply(new Command.Tick(110)));
        assertThat(first)
                .singleElement()
                .extracting(Effect.SendPhaseTwo::commit)
                .isEqualTo(false);
        // a compensation whose recover strategy is forward: the saga RM asks for the commit to be retried
        coordinator.apply(new Command.BranchOutcome(xid, -1, false, BranchStatus.PhaseTwo_CommitFailed_Retryable, 111));
        assertThat(sends(coordinator.apply(new Command.Tick(211))))
                .singleElement()
                .extracting(Effect.SendPhaseTwo::commit)
                .isEqualTo(true);
        coordinator.apply(new Command.BranchOutcome(xid, -1, true, BranchStatus.PhaseTwo_Committed, 212));
        assertThat(coordinator.transactionCount()).isZero();
    }

    @Test
    void sagaReportAfterTheTimeoutRollbackHearsTheRollback() {
        String xid = begin(0, 1_000);
        register(xid, BranchType.SAGA, null);
        coordinator.apply(new Command.Tick(2_000));
        assertThat(coordinator.transactionCount())
                .as("SAGA branch rollback is still due")
                .isPositive();
        GlobalStatus whileRollingBack = ((Result.Status) coordinator
                        .apply(new Command.ReportGlobal(xid, GlobalStatus.Committed, 2_001))
                        .result())
                .status();
        assertThat(whileRollingBack).isNotEqualTo(GlobalStatus.Committed);
    }

    @Test
    void idsDoNotRepeatAfterTheStateIsLost() {
        long t = 1_790_000_000_000L;
        java.util.Set<String> first = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            first.add(begin(t, 60_000));
        }
        Coordinator fresh = new Coordinator(0, CoordinatorSettings.defaults()); // the data directory was wiped
        String again = ((Result.Began)
                        fresh.apply(new Command.Begin("10.0.0.1:8091", "app", "grp", "tx", 60_000, t + 1_000))
                                .result())
                .xid();
        assertThat(first).doesNotContain(again);
        assertThat(Xids.transactionId(again))
                .isGreaterThan(
                        first.stream().mapToLong(Xids::transactionId).max().orElseThrow());
    }

    @Test
    void aRetriedRequestIsAppliedOnce() {
        Proposal begin = new Proposal(new RequestId(7, 1), new Command.Begin("h:1", "app", "g", "t", 60_000, 0));
        Result first = coordinator.apply(begin).result();
        Result again = coordinator.apply(begin).result();
        assertThat(again).isEqualTo(first);
        assertThat(coordinator.transactionCount()).isEqualTo(1);
        Result other = coordinator
                .apply(new Proposal(new RequestId(7, 2), begin.command()))
                .result();
        assertThat(other).isNotEqualTo(first);
        assertThat(coordinator.transactionCount()).isEqualTo(2);
    }

    @Test
    void resumeRepeatsPhaseTwoCallsAtOnce() {
        String xid = begin(0, 60_000);
        long b1 = register(xid, BranchType.TCC, null);
        register(xid, BranchType.TCC, null);
        coordinator.apply(new Command.Rollback(xid, 0));
        String waiting = begin(0, 60_000);
        Applied resumed = coordinator.apply(new Command.Resume(5));
        // the rollback's current call (last branch first) goes out again; Begin transactions are untouched
        assertThat(sends(resumed)).extracting(Effect.SendPhaseTwo::xid).containsExactly(xid);
        assertThat(sends(resumed).get(0).branchId()).isNotEqualTo(b1);
        assertThat(coordinator.apply(new Command.QueryStatus(waiting)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Begin));
    }

    @Test
    void aSnapshotIsNotChangedByLaterCommands() throws Exception {
        String a = begin(0, 60_000);
        long b = register(a, BranchType.TCC, null);
        String c = begin(0, 1_000);
        register(c, BranchType.AT, "t:1");
        io.arbiter.core.snapshot.CoordinatorSnapshot snapshot = coordinator.snapshot();
        java.io.ByteArrayOutputStream atCapture = new java.io.ByteArrayOutputStream();
        io.arbiter.core.snapshot.SnapshotCodec.write(snapshot, atCapture);
        // change everything the snapshot holds: statuses, branches, removal, new transactions
        coordinator.apply(new Command.Commit(a, 1));
        coordinator.apply(new Command.ReportBranch(a, b, BranchStatus.PhaseOne_Done, "changed"));
        coordinator.apply(new Command.Tick(5_000));
        register(begin(2, 60_000), BranchType.AT, "t:2");
        java.io.ByteArrayOutputStream later = new java.io.ByteArrayOutputStream();
        io.arbiter.core.snapshot.SnapshotCodec.write(snapshot, later);
        assertThat(later.toByteArray()).isEqualTo(atCapture.toByteArray());
    }

    @Test
    void branchReportUpdatesApplicationData() {
        String xid = begin(0, 60_000);
        long b = register(xid, BranchType.TCC, null);
        assertThat(coordinator
                        .apply(new Command.ReportBranch(xid, b, BranchStatus.PhaseOne_Done, "{\"x\":1}"))
                        .result())
                .isEqualTo(Result.Done.INSTANCE);
        Applied commit = coordinator.apply(new Command.Commit(xid, 1));
        assertThat(sends(commit).get(0).applicationData()).isEqualTo("{\"x\":1}");
        Result missing = coordinator
                .apply(new Command.ReportBranch(xid, 12345, BranchStatus.PhaseOne_Done, null))
                .result();
        assertThat(((Result.Rejected) missing).code()).isEqualTo(ErrorCode.BranchTransactionNotExist);
    }
}
