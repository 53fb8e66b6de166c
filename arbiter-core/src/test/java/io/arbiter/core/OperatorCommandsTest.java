package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import io.arbiter.core.snapshot.SnapshotCodec;
import io.arbiter.core.view.LockFilter;
import io.arbiter.core.view.TransactionFilter;
import io.arbiter.core.view.TransactionView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's operator commands and reads on one fragment. */
class OperatorCommandsTest {
    private static final CoordinatorSettings SETTINGS = new CoordinatorSettings(100, 800, 1_000, 5_000, 5_000);
    private Coordinator coordinator = new Coordinator(0, SETTINGS);

    private String begin(String name, long now) {
        Result r = coordinator
                .apply(new Command.Begin("10.0.0.1:8091", "app-" + name, "grp", name, 60_000, now))
                .result();
        return ((Result.Began) r).xid();
    }

    private long register(String xid, BranchType type, String lockKey) {
        Result r = coordinator
                .apply(new Command.RegisterBranch(xid, type, "jdbc:pg", lockKey, "{}", "c:1", 0))
                .result();
        return ((Result.BranchRegistered) r).branchId();
    }

    private static List<Effect.SendPhaseTwo> sends(Applied applied) {
        return applied.effects().stream()
                .filter(Effect.SendPhaseTwo.class::isInstance)
                .map(Effect.SendPhaseTwo.class::cast)
                .toList();
    }

    private TransactionView only(String xid) {
        Result.Transactions r = (Result.Transactions) coordinator
                .apply(new Command.ListTransactions(TransactionFilter.xid(xid), 10))
                .result();
        assertThat(r.transactions()).hasSize(1);
        return r.transactions().get(0);
    }

    /** A TCC transaction whose commit failed once: CommitRetrying, retry timer armed. */
    private String retryingCommit(long[] branch) {
        String xid = begin("t", 0);
        branch[0] = register(xid, BranchType.TCC, null);
        coordinator.apply(new Command.Commit(xid, 1));
        coordinator.apply(new Command.BranchOutcome(xid, branch[0], true, null, 2));
        assertThat(only(xid).status()).isEqualTo(GlobalStatus.CommitRetrying.code());
        return xid;
    }

    @Test
    void stoppedRetriesMakeNoCallsAndHaveNoDeadlineUntilStarted() {
        long[] b = new long[1];
        String xid = retryingCommit(b);
        assertThat(coordinator.apply(new Command.StopRetry(xid, 0)).result()).isEqualTo(Result.Done.INSTANCE);
        assertThat(only(xid).status()).isEqualTo(GlobalStatus.STOP_COMMIT_RETRY_CODE);
        assertThat(coordinator.nextDue()).isEqualTo(Long.MAX_VALUE);
        assertThat(sends(coordinator.apply(new Command.Tick(100_000)))).isEmpty();
        assertThat(sends(coordinator.apply(new Command.Resume(100_001)))).isEmpty();
        assertThat(coordinator.transactionCount())
                .as("no retry deadline while stopped")
                .isEqualTo(1);
        assertThat(coordinator.apply(new Command.StopRetry(xid, 0)).result()).isInstanceOf(Result.Rejected.class);

        Applied started = coordinator.apply(new Command.StartRetry(xid, 0, 200_000));
        assertThat(started.result()).isEqualTo(Result.Done.INSTANCE);
        assertThat(sends(started)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(b[0]);
        assertThat(only(xid).status()).isEqualTo(GlobalStatus.CommitRetrying.code());
        Applied done =
                coordinator.apply(new Command.BranchOutcome(xid, b[0], true, BranchStatus.PhaseTwo_Committed, 200_010));
        assertThat(done.effects()).contains(new Effect.Outcome(xid, GlobalStatus.Committed));
    }

    @Test
    void onlyPhaseTwoCanBeStoppedAndOnlyStoppedStarted() {
        String xid = begin("b", 0);
        Result stop = coordinator.apply(new Command.StopRetry(xid, 0)).result();
        assertThat(stop)
                .isInstanceOfSatisfying(
                        Result.Rejected.class,
                        r -> assertThat(r.code()).isEqualTo(ErrorCode.GlobalTransactionStatusInvalid));
        assertThat(coordinator.apply(new Command.StartRetry(xid, 0, 1)).result())
                .isInstanceOf(Result.Rejected.class);
        assertThat(coordinator
                        .apply(new Command.StopRetry("10.0.0.1:8091:999", 0))
                        .result())
                .isInstanceOfSatisfying(
                        Result.Rejected.class,
                        r -> assertThat(r.code()).isEqualTo(ErrorCode.GlobalTransactionNotExist));
    }

    @Test
    void aStoppedBranchIsNotCalledAndKeepsTheTransactionOpen() {
        String xid = begin("r", 0);
        long first = register(xid, BranchType.TCC, null);
        long second = register(xid, BranchType.TCC, null);
        coordinator.apply(new Command.Rollback(xid, 1));
        coordinator.apply(new Command.BranchOutcome(xid, second, false, null, 2)); // RollbackRetrying
        assertThat(coordinator.apply(new Command.StopRetry(xid, second)).result())
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(only(xid).branches())
                .filteredOn(v -> v.branchId() == second)
                .singleElement()
                .satisfies(v -> assertThat(v.status()).isEqualTo(BranchStatus.STOP_RETRY.code()));
        // the retry skips the stopped (last) branch and rolls back the one before it
        Applied retry = coordinator.apply(new Command.Tick(3_000));
        assertThat(sends(retry)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(first);
        coordinator.apply(new Command.BranchOutcome(xid, first, false, BranchStatus.PhaseTwo_Rollbacked, 3_001));
        assertThat(coordinator.transactionCount())
                .as("the stopped branch is pending")
                .isEqualTo(1);
        assertThat(sends(coordinator.apply(new Command.Tick(4_000)))).isEmpty();

        Applied started = coordinator.apply(new Command.StartRetry(xid, second, 4_001));
        assertThat(sends(started)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(second);
        coordinator.apply(new Command.BranchOutcome(xid, second, false, BranchStatus.PhaseTwo_Rollbacked, 4_002));
        assertThat(coordinator.transactionCount()).isZero();
    }

    @Test
    void retryNowCallsAlsoWhileStopped() {
        long[] b = new long[1];
        String xid = retryingCommit(b);
        coordinator.apply(new Command.StopRetry(xid, 0));
        Applied now = coordinator.apply(new Command.RetryNow(xid, 5));
        assertThat(sends(now)).extracting(Effect.SendPhaseTwo::branchId).containsExactly(b[0]);
        assertThat(coordinator.nextDue()).as("still stopped: no timer").isEqualTo(Long.MAX_VALUE);
        String fresh = begin("f", 0);
        assertThat(coordinator.apply(new Command.RetryNow(fresh, 5)).result()).isInstanceOf(Result.Rejected.class);
    }

    @Test
    void deleteNeedsRetryingOrStoppedUnlessForcedAndReleasesLocks() {
        String xid = begin("d", 0);
        register(xid, BranchType.AT, "stock:1,2");
        assertThat(coordinator.lockCount()).isEqualTo(2);
        assertThat(coordinator
                        .apply(new Command.DeleteTransaction(xid, false, 1))
                        .result())
                .isInstanceOf(Result.Rejected.class);
        Applied forced = coordinator.apply(new Command.DeleteTransaction(xid, true, 1));
        assertThat(forced.result()).isEqualTo(Result.Done.INSTANCE);
        assertThat(forced.effects()).contains(new Effect.Outcome(xid, GlobalStatus.Finished));
        assertThat(coordinator.lockCount()).isZero();
        assertThat(coordinator.transactionCount()).isZero();

        long[] b = new long[1];
        String retrying = retryingCommit(b);
        assertThat(coordinator
                        .apply(new Command.DeleteTransaction(retrying, false, 3))
                        .result())
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(coordinator.apply(new Command.QueryStatus(retrying)).result())
                .isEqualTo(Result.Status.of(GlobalStatus.Finished));
    }

    @Test
    void deleteBranchReleasesItsRowsAndEndsAPhaseTwoWithNothingLeft() {
        String xid = begin("db", 0);
        long at = register(xid, BranchType.AT, "stock:1");
        long tcc = register(xid, BranchType.TCC, null);
        assertThat(coordinator
                        .apply(new Command.DeleteBranch(xid, at, false, 1))
                        .result())
                .as("in Begin only by force")
                .isInstanceOf(Result.Rejected.class);
        assertThat(coordinator.apply(new Command.DeleteBranch(xid, at, true, 1)).result())
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(coordinator.lockCount()).isZero();
        assertThat(only(xid).branches()).extracting(v -> v.branchId()).containsExactly(tcc);
        coordinator.apply(new Command.Rollback(xid, 2));
        coordinator.apply(new Command.BranchOutcome(xid, tcc, false, null, 3));
        assertThat(coordinator
                        .apply(new Command.DeleteBranch(xid, 12345, false, 4))
                        .result())
                .isInstanceOfSatisfying(
                        Result.Rejected.class,
                        r -> assertThat(r.code()).isEqualTo(ErrorCode.BranchTransactionNotExist));
        Applied last = coordinator.apply(new Command.DeleteBranch(xid, tcc, false, 4));
        assertThat(last.effects()).contains(new Effect.Outcome(xid, GlobalStatus.Rollbacked));
        assertThat(coordinator.transactionCount()).isZero();
    }

    @Test
    void deleteLockFreesTheRowAndItStaysFreeAfterASnapshot() throws Exception {
        String xid = begin("l", 0);
        long branch = register(xid, BranchType.AT, "stock:1,2");
        String row = "jdbc:pg^^^stock^^^1";
        assertThat(coordinator.apply(new Command.DeleteLock(xid, branch, row)).result())
                .isEqualTo(Result.Done.INSTANCE);
        assertThat(coordinator.lockHolder(row)).isZero();
        assertThat(coordinator.lockCount()).isEqualTo(1);
        coordinator = restored(coordinator);
        assertThat(coordinator.lockHolder(row)).isZero();
        assertThat(coordinator.lockHolder("jdbc:pg^^^stock^^^2")).isEqualTo(Xids.transactionId(xid));
    }

    @Test
    void deletingABranchKeepsRowsAnotherBranchOfTheTransactionNames() {
        String xid = begin("shared", 0);
        long first = register(xid, BranchType.AT, "stock:1,2");
        register(xid, BranchType.AT, "stock:2");
        coordinator.apply(new Command.DeleteBranch(xid, first, true, 1));
        assertThat(coordinator.lockHolder("jdbc:pg^^^stock^^^1")).isZero();
        assertThat(coordinator.lockHolder("jdbc:pg^^^stock^^^2")).isEqualTo(Xids.transactionId(xid));
    }

    @Test
    void aForeignLockIsDeletedInTheFragmentHoldingIt() {
        long foreign = (3L << 48) | 77;
        String xid = "10.0.0.2:8091:" + foreign;
        coordinator.apply(new Command.AcquireLocks(foreign, xid, "jdbc:pg", List.of("jdbc:pg^^^t^^^9"), 5));
        assertThat(coordinator.lockCount()).isEqualTo(1);
        coordinator.apply(new Command.DeleteLock(xid, 0, "jdbc:pg^^^t^^^9"));
        assertThat(coordinator.lockCount()).isZero();
    }

    @Test
    void theRetryStopSurvivesASnapshot() throws Exception {
        long[] b = new long[1];
        String xid = retryingCommit(b);
        coordinator.apply(new Command.StopRetry(xid, 0));
        coordinator = restored(coordinator);
        assertThat(only(xid).status()).isEqualTo(GlobalStatus.STOP_COMMIT_RETRY_CODE);
        assertThat(sends(coordinator.apply(new Command.Tick(100_000)))).isEmpty();
        assertThat(coordinator.nextDue()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void listsFilterPageOldestFirstAndCount() {
        String a = begin("order", 10);
        String b = begin("pay", 20);
        String c = begin("order", 30);
        register(a, BranchType.AT, "orders:1");
        register(c, BranchType.AT, "orders:2;stock:5");
        Result.Transactions orders = (Result.Transactions) coordinator
                .apply(new Command.ListTransactions(
                        new TransactionFilter(null, null, -1, "ord", Long.MIN_VALUE, Long.MAX_VALUE, false), 1))
                .result();
        assertThat(orders.total()).isEqualTo(2);
        assertThat(orders.transactions()).extracting(TransactionView::xid).containsExactly(a);
        assertThat(orders.transactions().get(0).branches()).isEmpty();
        Result.Transactions window = (Result.Transactions) coordinator
                .apply(new Command.ListTransactions(
                        new TransactionFilter(null, "app-pay", GlobalStatus.Begin.code(), null, 15, 25, true), 10))
                .result();
        assertThat(window.transactions()).extracting(TransactionView::xid).containsExactly(b);

        Result.Locks all = (Result.Locks)
                coordinator.apply(new Command.ListLocks(LockFilter.ALL, 100)).result();
        assertThat(all.total()).isEqualTo(3);
        assertThat(all.locks())
                .extracting(l -> l.tableName() + ":" + l.pk())
                .containsExactly("orders:1", "orders:2", "stock:5");
        Result.Locks stock = (Result.Locks) coordinator
                .apply(new Command.ListLocks(
                        new LockFilter(null, null, null, "jdbc", "sto", "5", Long.MIN_VALUE, Long.MAX_VALUE), 100))
                .result();
        assertThat(stock.locks())
                .singleElement()
                .satisfies(l -> assertThat(l.xid()).isEqualTo(c));
    }

    @Test
    void anAnswerStaysBelowItsSizeBoundAndStillCountsEveryMatch() {
        String big = "x".repeat(100_000);
        for (int i = 0; i < 30; i++) {
            String xid = begin("big", i);
            coordinator.apply(new Command.RegisterBranch(xid, BranchType.TCC, "r", null, big, "c", i));
        }
        Result.Transactions r = (Result.Transactions) coordinator
                .apply(new Command.ListTransactions(TransactionFilter.ALL, 30))
                .result();
        assertThat(r.total()).isEqualTo(30);
        assertThat(r.transactions()).hasSizeLessThan(30).hasSizeGreaterThan(10);
    }

    @Test
    void conflictsAreCountedPerRowAndTableWithTheirHolder() {
        String holder = begin("h", 100);
        register(holder, BranchType.AT, "stock:1");
        for (int i = 0; i < 3; i++) {
            String other = begin("o" + i, 200);
            Result r = coordinator
                    .apply(new Command.RegisterBranch(other, BranchType.AT, "jdbc:pg", "stock:1,2", null, "c", 300))
                    .result();
            assertThat(r).isInstanceOf(Result.Rejected.class);
        }
        Result.Contention contention = (Result.Contention)
                coordinator.apply(new Command.ListContention(10)).result();
        assertThat(contention.tables()).singleElement().satisfies(t -> {
            assertThat(t.tableName()).isEqualTo("stock");
            assertThat(t.conflicts()).isEqualTo(3);
        });
        assertThat(contention.rows()).singleElement().satisfies(row -> {
            assertThat(row.rowKey()).isEqualTo("jdbc:pg^^^stock^^^1");
            assertThat(row.conflicts()).isEqualTo(3);
            assertThat(row.holderXid()).isEqualTo(holder);
            assertThat(row.heldSince()).isEqualTo(100);
        });
    }

    private static Coordinator restored(Coordinator c) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SnapshotCodec.write(c.snapshot(), bytes);
        return Coordinator.restore(SnapshotCodec.read(new ByteArrayInputStream(bytes.toByteArray())), SETTINGS);
    }
}
