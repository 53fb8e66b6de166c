package io.arbiter.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.command.Command;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Result;
import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.replication.memory.InMemoryReplicaGroup;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.rpc.ClientSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TM's synchronous commit waits on the fragment's leader for the phase-two outcome, which only the leader
 * announces. When that node stops leading meanwhile (in the chaos runs: the client's node, leader since a kill,
 * handing the leadership back to the restarted preferred node) the commit must not wait out the 25 s limit: it is answered
 * NotRaftLeader at once, so that the router asks the next leader. Wired as {@code ArbiterNode} wires a fragment,
 * on an in-memory replica whose leadership the test takes and gives back; the RM answers only when told to, and the
 * outcome wait's own time limit fires only when the test says so.
 */
class EndAfterLeadershipLossTest {
    private final OutcomeWaiters waiters = new OutcomeWaiters();
    private final HeldRmCalls rms = new HeldRmCalls();
    private final HeldDelays delays = new HeldDelays();
    private final Fragment fragment = new Fragment(0, CoordinatorSettings.defaults());
    private final ClientSession tm =
            new ClientSession(ClientSession.Role.TM, ClientVersion.V2_5_0, "app", "group", "127.0.0.1", 40_000);
    private InMemoryReplicaGroup group;
    private TransactionRequests requests;

    @BeforeEach
    void wire() {
        requests = new TransactionRequests(waiters, "127.0.0.1:8091", System::currentTimeMillis, null, delays);
        group = new InMemoryReplicaGroup("n1", fragment.stateMachine());
        fragment.attach(group);
        // no fragment commands: the transaction's rows are all in this fragment
        PhaseTwoDriver driver = new PhaseTwoDriver(
                fragment.id(), fragment.service(), waiters, () -> rms, null, System::currentTimeMillis);
        fragment.onEffects(driver::execute);
        fragment.stateMachine().onLeadershipEnd(() -> waiters.leadershipEnded(fragment.id()));
        group.start();
    }

    @AfterEach
    void close() {
        group.close();
    }

    @Test
    void aCommitWaitingForItsOutcomeIsAnsweredNotLeaderWhenThisNodeStopsLeading() throws Exception {
        String xid = tccTransaction();
        CompletableFuture<ResultMessage> commit = requests.serve(fragment, tm, new GlobalCommitRequest(xid), null);
        rms.awaitCalls(1);
        assertThat(commit).isNotDone();

        group.stepDown("n2");

        ResultMessage answer = commit.get(5, TimeUnit.SECONDS);
        assertThat(TransactionRequests.isNotLeader(answer))
                .as("answer %s", answer)
                .isTrue();
        assertThat(waiters.size()).isZero();
    }

    @Test
    void theCommitRepeatedOnTheNextLeaderWaitsForTheOutcomeAnnouncedThere() throws Exception {
        String xid = tccTransaction();
        CompletableFuture<ResultMessage> first = requests.serve(fragment, tm, new GlobalCommitRequest(xid), null);
        rms.awaitCalls(1);
        group.stepDown(null);
        assertThat(TransactionRequests.isNotLeader(first.get(5, TimeUnit.SECONDS)))
                .isTrue();

        group.becomeLeader(); // this replica is the next leader; the router repeats the commit here
        CompletableFuture<ResultMessage> again = requests.serve(fragment, tm, new GlobalCommitRequest(xid), null);
        Thread.sleep(100);
        assertThat(again).isNotDone();
        rms.calls.get(0).complete(committed(xid));

        assertThat(again.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(GlobalCommitResponse.class, r -> {
            assertThat(r.resultCode()).isEqualTo(ResultCode.Success);
            assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Committed);
        });
    }

    @Test
    void anEndAfterAnAnsweredWaitWaitsAnew() throws Exception {
        String xid = tccTransaction();
        CompletableFuture<ResultMessage> first = requests.serve(fragment, tm, new GlobalCommitRequest(xid), null);
        rms.awaitCalls(1);
        delays.awaitLimit(); // the wait for the outcome may start a moment after the RM call
        delays.limits.get(0).complete(null); // the outcome did not come within the limit: the TM hears Committing
        assertThat(first.get(5, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        GlobalCommitResponse.class,
                        r -> assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Committing));

        CompletableFuture<ResultMessage> again = requests.serve(fragment, tm, new GlobalCommitRequest(xid), null);
        Thread.sleep(100);
        assertThat(again).isNotDone();
        rms.calls.get(0).complete(committed(xid));
        assertThat(again.get(5, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(
                        GlobalCommitResponse.class,
                        r -> assertThat(r.globalStatus()).isEqualTo(GlobalStatus.Committed));
    }

    /** Begins a transaction with one TCC branch (synchronous phase two); returns its XID. */
    private String tccTransaction() throws Exception {
        String xid = ((Result.Began) fragment.service()
                        .submit(new Command.Begin(
                                "127.0.0.1:8091", "app", "group", "tx", 60_000, System.currentTimeMillis()))
                        .get(5, TimeUnit.SECONDS))
                .xid();
        Result registered = fragment.service()
                .submit(new Command.RegisterBranch(
                        xid, BranchType.TCC, "tcc-a", null, null, tm.clientId(), System.currentTimeMillis()))
                .get(5, TimeUnit.SECONDS);
        assertThat(registered).isInstanceOf(Result.BranchRegistered.class);
        return xid;
    }

    private static BranchCommitResponse committed(String xid) {
        return new BranchCommitResponse(ResultCode.Success, null, null, xid, 0, BranchStatus.PhaseTwo_Committed);
    }
}
