package io.arbiter.compat.scenario;

import static io.arbiter.compat.client.TccLedger.Phase.COMMIT;
import static io.arbiter.compat.client.TccLedger.Phase.ROLLBACK;
import static io.arbiter.compat.client.TccLedger.Phase.TRY;
import static io.arbiter.compat.client.TccParticipant.ACTION_A;
import static io.arbiter.compat.client.TccParticipant.ACTION_B;
import static io.arbiter.compat.scenario.Checks.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccLedger.Call;
import io.arbiter.compat.client.TccParticipant;
import io.arbiter.compat.server.InProcessArbiter;
import io.arbiter.compat.server.RunningTc;
import io.arbiter.compat.server.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * TM and TCC scenarios against an in-process Arbiter: empty transactions, two-branch TCC commit and rollback,
 * phase-two retry, timeout rollback, and a Saga-style global report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class TmTccScenarios {
    private final TccLedger ledger = TccLedger.get();
    private RunningTc tc;
    private CompatClient client;
    private TccParticipant tcc;

    /** The client line under test (a new, uninitialised facade). */
    protected abstract CompatClient newClient();

    /**
     * Server settings on top of the scenario's own (for example {@code arbiter.fragments}); none by default.
     */
    protected Map<String, String> serverSettings() {
        return Map.of();
    }

    /**
     * Starts the coordinator the scenarios run against, with the scenario's settings: one node in this JVM by
     * default; a subclass may start a cluster instead ({@link ClusterTc}).
     */
    protected RunningTc startTc(Map<String, String> settings) throws Exception {
        return InProcessArbiter.start(settings);
    }

    @BeforeAll
    void startServerAndClient() throws Exception {
        SharedCoordinator.Coordinated coordinated = SharedCoordinator.forFamily(
                Settings.merge(SharedCoordinator.SCENARIO_SETTINGS, serverSettings()), this::startTc, this::newClient);
        tc = coordinated.tc();
        client = coordinated.client();
        tcc = client.tcc();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (tc != null) {
            tc.close();
        }
    }

    /** The initialised client (for tests a version module adds). */
    protected CompatClient client() {
        return client;
    }

    @AfterEach
    void unbind() {
        client.unbind();
    }

    @Test
    void emptyTransactionCommits() throws Exception {
        GlobalTx tx = client.begin("compat-empty-commit", 30_000);
        assertThat(tx.xid()).matches(tc.xidPattern());
        assertThat(client.boundXid()).isEqualTo(tx.xid());
        assertThat(tx.status()).isEqualTo("Begin");
        tx.suspend();
        GlobalTx other = client.begin("compat-empty-other", 30_000);
        assertThat(other.xid()).matches(tc.xidPattern()).isNotEqualTo(tx.xid());
        other.suspend();

        assertThat(tx.commit()).isEqualTo("Committed");
        assertThat(tx.status()).isIn(Checks.COMMITTED_OR_GONE);
        assertThat(other.status()).isEqualTo("Begin");
        assertThat(other.rollback()).isEqualTo("Rollbacked");
    }

    @Test
    void emptyTransactionRollsBack() throws Exception {
        GlobalTx tx = client.begin("compat-empty-rollback", 30_000);
        assertThat(tx.xid()).matches(tc.xidPattern());
        assertThat(tx.status()).isEqualTo("Begin");

        assertThat(tx.rollback()).isEqualTo("Rollbacked");
        assertThat(client.boundXid()).isNull();
        assertThat(tx.status()).isIn(Checks.ROLLED_BACK_OR_GONE);
    }

    @Test
    void tccCommitCallsEachBranchCommitOnce() throws Throwable {
        String tag = Checks.tag("tcc-commit");
        GlobalTx tx = client.begin("compat-tcc-commit", 30_000);
        tcc.tryA(tag);
        tcc.tryB(tag);
        List<Call> tries = ledger.calls(tag);
        assertThat(tries).extracting(Call::phase).containsExactly(TRY, TRY);
        assertThat(tries).extracting(Call::xid).containsOnly(tx.xid());
        assertThat(tries.get(0).branchId())
                .isPositive()
                .isNotEqualTo(tries.get(1).branchId());

        // TCC is committed synchronously: when the TM hears Committed, both commits have run
        assertThat(tx.commit()).isEqualTo("Committed");
        assertThat(ledger.count(ACTION_A, COMMIT, tag)).as("commits of A").isEqualTo(1);
        assertThat(ledger.count(ACTION_B, COMMIT, tag)).as("commits of B").isEqualTo(1);
        Checks.stays(Duration.ofSeconds(1), () -> {
            assertThat(ledger.count(ACTION_A, COMMIT, tag)).as("commits of A").isEqualTo(1);
            assertThat(ledger.count(ACTION_B, COMMIT, tag)).as("commits of B").isEqualTo(1);
            assertThat(ledger.count(ACTION_A, ROLLBACK, tag) + ledger.count(ACTION_B, ROLLBACK, tag))
                    .isZero();
        });
        // phase two names the branches that registered
        assertThat(ledger.calls(tag).stream().filter(c -> c.phase() == COMMIT).map(Call::branchId))
                .containsExactlyInAnyOrder(tries.get(0).branchId(), tries.get(1).branchId());
        assertThat(tx.status()).isIn(Checks.COMMITTED_OR_GONE);
    }

    @Test
    void tccRollbackCallsEachBranchRollbackOnceInReverseOrder() throws Throwable {
        String tag = Checks.tag("tcc-rollback");
        GlobalTx tx = client.begin("compat-tcc-rollback", 30_000);
        tcc.tryA(tag);
        tcc.tryB(tag);

        assertThat(tx.rollback()).isEqualTo("Rollbacked");
        Checks.stays(Duration.ofSeconds(1), () -> {
            assertThat(ledger.count(ACTION_A, ROLLBACK, tag))
                    .as("rollbacks of A")
                    .isEqualTo(1);
            assertThat(ledger.count(ACTION_B, ROLLBACK, tag))
                    .as("rollbacks of B")
                    .isEqualTo(1);
            assertThat(ledger.count(ACTION_A, COMMIT, tag) + ledger.count(ACTION_B, COMMIT, tag))
                    .isZero();
        });
        // like Seata's TC: branches are rolled back in the reverse order of registration
        assertThat(ledger.calls(tag).stream().filter(c -> c.phase() == ROLLBACK).map(Call::action))
                .containsExactly(ACTION_B, ACTION_A);
        assertThat(tx.status()).isIn(Checks.ROLLED_BACK_OR_GONE);
    }

    @Test
    void tccCommitFailingTwiceIsRetriedUntilItSucceeds() throws Throwable {
        String tag = Checks.tag("tcc-retry");
        ledger.failCommits(ACTION_A, tag, 2);
        GlobalTx tx = client.begin("compat-tcc-retry", 30_000);
        tcc.tryA(tag);
        tcc.tryB(tag);

        // Seata's TC answers CommitRetrying when a branch asks for a retry, or Committed if the retries
        // finished first; the TM treats both as success
        assertThat(tx.commit()).isIn("Committed", "Committing", "CommitRetrying");
        within(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ledger.count(ACTION_A, COMMIT, tag))
                        .as("commits of A")
                        .isEqualTo(3));
        within(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tx.status()).isIn(Checks.COMMITTED_OR_GONE));
        Checks.stays(Duration.ofSeconds(1), () -> {
            assertThat(ledger.count(ACTION_A, COMMIT, tag)).as("commits of A").isEqualTo(3);
            // the branch that committed at once is not committed again by the retries
            assertThat(ledger.count(ACTION_B, COMMIT, tag)).as("commits of B").isEqualTo(1);
            assertThat(ledger.count(ACTION_A, ROLLBACK, tag) + ledger.count(ACTION_B, ROLLBACK, tag))
                    .isZero();
        });
    }

    @Test
    void openTransactionIsRolledBackOnTimeout() throws Throwable {
        String tag = Checks.tag("tcc-timeout");
        GlobalTx tx = client.begin("compat-tcc-timeout", 2_000);
        tcc.tryA(tag);
        tx.suspend();

        within(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ledger.count(ACTION_A, ROLLBACK, tag))
                        .as("rollbacks of A")
                        .isEqualTo(1));
        within(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tx.status()).isIn(Checks.TIMED_OUT));

        // a commit after the timeout must not be reported as committed
        String late;
        try {
            late = tx.commit();
        } catch (Exception e) {
            late = "exception: " + e;
        }
        assertThat(late).isNotEqualTo("Committed");
        Checks.stays(Duration.ofMillis(500), () -> {
            assertThat(ledger.count(ACTION_A, COMMIT, tag)).isZero();
            assertThat(ledger.count(ACTION_A, ROLLBACK, tag)).isEqualTo(1);
        });
    }

    /**
     * A commit sent right at the transaction's deadline races the TC's timeout. Whichever wins, the outcome must be
     * one: the TM is told Committed and the branch is committed once, or the TM is told something else and the
     * branch is rolled back once; never both, never neither.
     */
    @Test
    void commitRacingTheTimeoutHasOneOutcome() throws Throwable {
        for (int round = 0; round < 4; round++) {
            String tag = Checks.tag("tcc-race" + round);
            GlobalTx tx = client.begin("compat-tcc-race", 1_000);
            long began = System.nanoTime();
            tcc.tryA(tag);
            // aim at the deadline, a little earlier or later each round
            long aimMillis = 900 + 60L * round;
            Thread.sleep(Math.max(0, aimMillis - (System.nanoTime() - began) / 1_000_000));
            String answer;
            try {
                answer = tx.commit();
            } catch (Exception e) {
                answer = "exception: " + e;
            }
            String told = answer;
            within(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    ledger.count(ACTION_A, COMMIT, tag) + ledger.count(ACTION_A, ROLLBACK, tag))
                            .as("phase-two calls after commit answer %s", told)
                            .isEqualTo(1));
            Checks.stays(Duration.ofMillis(500), () -> {
                if (told.equals("Committed")) {
                    assertThat(ledger.count(ACTION_A, COMMIT, tag))
                            .as("told Committed")
                            .isEqualTo(1);
                    assertThat(ledger.count(ACTION_A, ROLLBACK, tag))
                            .as("told Committed")
                            .isZero();
                } else {
                    assertThat(ledger.count(ACTION_A, ROLLBACK, tag))
                            .as("told %s", told)
                            .isEqualTo(1);
                    assertThat(ledger.count(ACTION_A, COMMIT, tag))
                            .as("told %s", told)
                            .isZero();
                }
            });
        }
    }

    @Test
    void tccContextReportedInPhaseOneReachesPhaseTwo() throws Exception {
        String tag = TccParticipant.REPORT_PREFIX + Checks.tag("tcc");
        GlobalTx tx = client.begin("compat-tcc-report", 30_000);
        // the try adds to its action context; the client reports the new application data (BranchReport)
        tcc.tryA(tag);
        assertThat(tx.commit()).isEqualTo("Committed");
        assertThat(ledger.calls(tag).stream().filter(c -> c.phase() == COMMIT).map(Call::note))
                .containsExactly(TccParticipant.noteFor(tag));
    }

    @Test
    void branchRegisterOnAnEndedTransactionIsRefused() throws Exception {
        String tag = Checks.tag("tcc-ended");
        GlobalTx tx = client.begin("compat-tcc-ended", 30_000);
        String xid = tx.xid();
        assertThat(tx.commit()).isEqualTo("Committed");

        client.bind(xid);
        Throwable refused = catchThrowable(() -> tcc.tryA(tag));
        client.unbind();
        assertThat(refused).as("a try on a committed transaction").isNotNull();
        assertThat(ledger.calls(tag))
                .as("the try method must not run when its branch was refused")
                .isEmpty();
    }

    @Test
    void unknownTransactionIsFinished() throws Exception {
        GlobalTx real = client.begin("compat-unknown-probe", 30_000);
        assertThat(real.rollback()).isEqualTo("Rollbacked");
        // an XID of this server that was never handed out (same prefix, a later number)
        long n = Long.parseLong(real.xid().substring(real.xid().lastIndexOf(':') + 1));
        String never = real.xid().substring(0, real.xid().lastIndexOf(':') + 1) + (n + 1_000_000);

        // Seata's TC: status, commit and rollback of a transaction it does not know answer Finished
        assertThat(client.status(never)).isEqualTo("Finished");
        assertThat(client.reload(never).commit()).isEqualTo("Finished");
        assertThat(client.reload(never).rollback()).isEqualTo("Finished");
    }

    @Test
    void sagaGlobalReportRollbackedEndsTheTransaction() throws Exception {
        GlobalTx tx = client.begin("compat-saga-report-rollback", 30_000);
        assertThat(client.registerSagaBranch(tx.xid())).isPositive();

        assertThat(tx.report("Rollbacked")).isEqualTo("Rollbacked");
        assertThat(client.status(tx.xid())).isEqualTo("Finished");
    }

    @Test
    void sagaGlobalReportEndsTheTransaction() throws Exception {
        GlobalTx tx = client.begin("compat-saga-report", 30_000);
        long branchId = client.registerSagaBranch(tx.xid());
        assertThat(branchId).isPositive();
        assertThat(tx.status()).isEqualTo("Begin");

        assertThat(tx.report("Committed")).isEqualTo("Committed");
        assertThat(client.boundXid()).isNull();
        assertThat(client.status(tx.xid())).isEqualTo("Finished");
    }
}
