package io.arbiter.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.Xids;
import io.arbiter.core.command.Command;
import io.arbiter.core.lock.LockKeys;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Result;
import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.BranchRollbackResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.replication.memory.InMemoryReplicaGroup;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.routing.GroupDirectory;
import io.arbiter.server.rpc.ClientSession;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seata releases a transaction's row locks before it answers the transaction's end, so a TM that hears Committed or
 * Rollbacked (and the next transaction it starts) finds the rows free. With the rows held by another fragment (the
 * lock fragment, by default) the release is a command there: the end's answer waits for it, at most
 * {@link TransactionRequests#RELEASE_WAIT_MILLIS}. Found by CI: the 2.5 client's AT rollback on 3 nodes with 8
 * fragments, whose lock query right after Rollbacked still found the row held.
 *
 * <p>Wired as {@code ArbiterNode} wires a fragment, on in-memory replicas: fragment 1 holds the transaction, fragment
 * 0 its rows; proposals to fragment 0 from the release wait until the test lets them through.
 */
class EndWaitsForRemoteReleaseTest {
    private static final String DB = "jdbc:postgresql://db/stock";
    private static final List<String> ROWS = LockKeys.rowKeys(DB, "stock:12");

    private final OutcomeWaiters waiters = new OutcomeWaiters();
    private final HeldRmCalls rms = new HeldRmCalls();
    private final HeldDelays delays = new HeldDelays();
    private final List<Runnable> heldReleases = new CopyOnWriteArrayList<>();
    private final Fragment transactions = new Fragment(1, CoordinatorSettings.defaults());
    private final Fragment lockFragment = new Fragment(0, CoordinatorSettings.defaults());
    private final ClientSession tm =
            new ClientSession(ClientSession.Role.TM, ClientVersion.V2_5_0, "app", "group", "127.0.0.1", 40_000);
    private InMemoryReplicaGroup transactionGroup;
    private InMemoryReplicaGroup lockGroup;
    private TransactionRequests requests;

    @BeforeEach
    void wire() {
        requests = new TransactionRequests(waiters, "127.0.0.1:8091", System::currentTimeMillis, null, delays);
        transactionGroup = new InMemoryReplicaGroup("n1", transactions.stateMachine());
        transactions.attach(transactionGroup);
        lockGroup = new InMemoryReplicaGroup("n1", lockFragment.stateMachine());
        lockFragment.attach(lockGroup);
        PhaseTwoDriver driver = new PhaseTwoDriver(
                transactions.id(),
                transactions.service(),
                waiters,
                () -> rms,
                new FragmentCommands(new HeldLockFragment(), null, System::currentTimeMillis),
                System::currentTimeMillis);
        transactions.onEffects(driver::execute);
        transactionGroup.start();
        lockGroup.start();
    }

    @AfterEach
    void close() {
        transactionGroup.close();
        lockGroup.close();
    }

    @Test
    void aCommitIsAnsweredOnceTheRowsInTheLockFragmentAreFree() throws Exception {
        String xid = atTransactionWithRemoteRows();
        CompletableFuture<ResultMessage> commit = requests.serve(transactions, tm, new GlobalCommitRequest(xid), null);
        awaitHeldReleases(1);
        Thread.sleep(100);
        assertThat(commit).as("answered while fragment 0 holds the rows").isNotDone();
        assertThat(lockFragment.stateMachine().lockCount()).isEqualTo(1);

        heldReleases.get(0).run();

        assertThat(commit.get(5, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        GlobalCommitResponse.class,
                        r -> assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Committed));
        assertThat(lockFragment.stateMachine().lockCount()).isZero();
    }

    @Test
    void aRollbackIsAnsweredOnceTheRowsInTheLockFragmentAreFree() throws Exception {
        String xid = atTransactionWithRemoteRows();
        CompletableFuture<ResultMessage> rollback =
                requests.serve(transactions, tm, new GlobalRollbackRequest(xid), null);
        rms.awaitCalls(1);
        rms.calls
                .get(0)
                .complete(new BranchRollbackResponse(
                        ResultCode.Success, null, null, xid, 0, BranchStatus.PhaseTwo_Rollbacked));
        awaitHeldReleases(1);
        Thread.sleep(100);
        assertThat(rollback).as("answered while fragment 0 holds the rows").isNotDone();

        heldReleases.get(0).run();

        assertThat(rollback.get(5, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        GlobalRollbackResponse.class,
                        r -> assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Rollbacked));
        assertThat(lockFragment.stateMachine().lockCount()).isZero();
    }

    @Test
    void aReleaseThatTakesTooLongDoesNotHoldTheAnswerBeyondItsLimit() throws Exception {
        String xid = atTransactionWithRemoteRows();
        CompletableFuture<ResultMessage> commit = requests.serve(transactions, tm, new GlobalCommitRequest(xid), null);
        awaitHeldReleases(1);
        Thread.sleep(100);
        assertThat(commit).isNotDone();

        delays.expireAll(); // the lock fragment is electing a leader, say

        assertThat(commit.get(5, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        GlobalCommitResponse.class,
                        r -> assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Committed));
        assertThat(lockFragment.stateMachine().lockCount())
                .as("still held: the sweeper's business now")
                .isEqualTo(1);
    }

    /** A transaction of fragment 1 with one AT branch whose row fragment 0 holds for it; returns its XID. */
    private String atTransactionWithRemoteRows() throws Exception {
        long now = System.currentTimeMillis();
        String xid = ((Result.Began) transactions
                        .service()
                        .submit(new Command.Begin("127.0.0.1:8091", "app", "group", "tx", 60_000, now))
                        .get(5, TimeUnit.SECONDS))
                .xid();
        Result taken = lockFragment
                .service()
                .submit(new Command.AcquireLocks(Xids.transactionId(xid), xid, DB, ROWS, now))
                .get(5, TimeUnit.SECONDS);
        assertThat(taken).isInstanceOf(Result.LocksTaken.class);
        Result registered = transactions
                .service()
                .submit(new Command.RegisterBranch(
                        xid, BranchType.AT, DB, "stock:12", null, tm.clientId(), now, List.of(0), ROWS))
                .get(5, TimeUnit.SECONDS);
        assertThat(registered).isInstanceOf(Result.BranchRegistered.class);
        assertThat(lockFragment.stateMachine().lockCount()).isEqualTo(1);
        return xid;
    }

    private void awaitHeldReleases(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (heldReleases.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(heldReleases).hasSizeGreaterThanOrEqualTo(n);
    }

    /** Both fragments are led here; what is proposed to fragment 0 waits until the test runs it. */
    private final class HeldLockFragment implements GroupDirectory {
        @Override
        public Optional<Proposer> ledHere(int id) {
            if (id == transactions.id()) {
                return Optional.of(transactionGroup::propose);
            }
            return Optional.of(encoded -> {
                CompletableFuture<byte[]> answer = new CompletableFuture<>();
                heldReleases.add(() -> lockGroup.propose(encoded).whenComplete((r, e) -> {
                    if (e != null) {
                        answer.completeExceptionally(e);
                    } else {
                        answer.complete(r);
                    }
                }));
                return answer;
            });
        }

        @Override
        public Optional<ClusterMember> leaderOf(int id) {
            return Optional.empty();
        }

        @Override
        public boolean exists(int id) {
            return true;
        }

        @Override
        public String selfId() {
            return "n1";
        }
    }
}
