package io.arbiter.compat.scenario;

import static io.arbiter.compat.client.TccLedger.Phase.COMMIT;
import static io.arbiter.compat.client.TccLedger.Phase.ROLLBACK;
import static io.arbiter.compat.client.TccLedger.Phase.TRY;
import static io.arbiter.compat.client.TccParticipant.ACTION_A;
import static io.arbiter.compat.client.TccParticipant.ACTION_B;
import static io.arbiter.compat.db.Schemas.addStock;
import static io.arbiter.compat.db.Schemas.putStock;
import static io.arbiter.compat.db.Schemas.stock;
import static io.arbiter.compat.db.Schemas.undoLogRows;
import static io.arbiter.compat.scenario.Checks.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccLedger.Call;
import io.arbiter.compat.client.TccParticipant;
import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Schemas;
import io.arbiter.compat.server.ArbiterProcess;
import io.arbiter.compat.server.Health;
import io.arbiter.compat.server.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Arbiter in its own JVM, killed with SIGKILL while transactions are open and started again on the same data
 * directory and ports: the transactions, their branches and their row locks must come back, and they must
 * complete (one committed by its TM, one rolled back by the TC when it times out).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class KillNineScenario {
    /**
     * Long enough to outlive kill + restart (a node process restarts in 3-4 s here, more on a slower CI machine; the
     * test asserts it served again at least 5 s before this timeout), short enough not to slow the run much: the
     * test waits for it.
     */
    private static final int EXPIRING_TIMEOUT_MS = 20_000;

    private final TccLedger ledger = TccLedger.get();
    private ArbiterProcess tc;
    private CompatPostgres pg;
    private CompatClient client;
    private TccParticipant tcc;
    private DataSource atRaw;
    private DataSource at;
    private String atResource;

    /** On failure: what the server says about itself, the TCC calls seen, and the end of the server's output. */
    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("[compat] " + context.getDisplayName() + " failed; server /health: "
                    + (tc == null ? "(no server)" : Health.probe(tc.httpPort()).orElse("(no answer)")));
            System.out.println("[compat] TCC calls: " + ledger.allCalls());
            if (tc != null) {
                System.out.println("[compat] server output (" + tc.logFile() + "), last lines:\n" + tc.logTail(80));
            }
        }
    };

    /** The client line under test (a new, uninitialised facade). */
    protected abstract CompatClient newClient();

    /**
     * Server settings on top of the scenario's own (for example {@code arbiter.fragments}); none by default.
     */
    protected Map<String, String> serverSettings() {
        return Map.of();
    }

    @BeforeAll
    void start() throws Exception {
        pg = CompatPostgres.start();
        atRaw = pg.createDatabase("compat_k9");
        Schemas.createUndoLog(atRaw);
        Schemas.createStock(atRaw);
        tc = ArbiterProcess.start(
                "kill9",
                Settings.merge(
                        Map.of("arbiter.retry-backoff-ms", "300", "arbiter.tick-interval-ms", "100"),
                        serverSettings()));
        client = newClient();
        client.init(tc);
        tcc = client.tcc();
        at = client.atDataSource(atRaw);
        atResource = client.resourceId(at);
    }

    @AfterAll
    void stop() throws Exception {
        if (tc != null) {
            tc.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void openTransactionsSurviveKill9AndComplete() throws Throwable {
        putStock(atRaw, 31, 100);
        putStock(atRaw, 32, 100);
        String keepTag = Checks.tag("k9-keep");
        String expireTag = Checks.tag("k9-expire");

        GlobalTx keep = client.begin("compat-k9-keep", 120_000);
        tcc.tryA(keepTag);
        tcc.tryB(keepTag);
        assertThat(addStock(at, 31, -10)).isEqualTo(1);
        keep.suspend();
        GlobalTx expire = client.begin("compat-k9-expire", EXPIRING_TIMEOUT_MS);
        long expireBegan = System.nanoTime();
        tcc.tryA(expireTag);
        assertThat(addStock(at, 32, -10)).isEqualTo(1);
        expire.suspend();

        assertThat(keep.status()).isEqualTo("Begin");
        assertThat(expire.status()).isEqualTo("Begin");
        assertThat(client.lockQuery(atResource, null, "stock:31"))
                .as("row 31 locked before the kill")
                .isFalse();
        assertThat(client.lockQuery(atResource, null, "stock:32"))
                .as("row 32 locked before the kill")
                .isFalse();
        List<Long> keepBranches =
                ledger.calls(keepTag).stream().map(Call::branchId).toList();

        long pidBefore = tc.pid();
        tc.kill9();
        assertThat(Health.probe(tc.httpPort()))
                .as("nothing answers after SIGKILL")
                .isEmpty();
        long restartBegan = System.nanoTime();
        tc.restart();
        Duration restartTook = Duration.ofNanos(System.nanoTime() - restartBegan);
        assertThat(tc.pid()).isNotEqualTo(pidBefore);
        assertThat(Duration.ofNanos(System.nanoTime() - expireBegan))
                .as("restart took %s; the expiring transaction must still be open to check it", restartTook)
                .isLessThan(Duration.ofMillis(EXPIRING_TIMEOUT_MS - 5_000));

        // the transactions, their locks and their branches are back
        assertThat(keep.status()).as("kept transaction after restart").isEqualTo("Begin");
        assertThat(expire.status()).as("expiring transaction after restart").isEqualTo("Begin");
        assertThat(client.lockQuery(atResource, null, "stock:31"))
                .as("row 31 locked after restart")
                .isFalse();
        assertThat(client.lockQuery(atResource, null, "stock:32"))
                .as("row 32 locked after restart")
                .isFalse();
        assertThat(client.lockQuery(atResource, keep.xid(), "stock:31"))
                .as("row 31 for its holder")
                .isTrue();
        assertThat(ledger.calls(keepTag)).extracting(Call::phase).containsOnly(TRY);
        assertThat(ledger.calls(expireTag)).extracting(Call::phase).containsOnly(TRY);
        // XIDs handed out after the restart do not repeat earlier ones
        GlobalTx fresh = client.begin("compat-k9-fresh", 30_000);
        assertThat(fresh.xid()).matches(tc.xidPattern()).isNotIn(keep.xid(), expire.xid());
        assertThat(fresh.rollback()).isEqualTo("Rollbacked");

        // the kept transaction commits: each branch once, with the ids it registered before the kill
        assertThat(keep.commit()).isIn("Committed", "CommitRetrying");
        within(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(ledger.count(ACTION_A, COMMIT, keepTag))
                    .as("commits of A")
                    .isEqualTo(1);
            assertThat(ledger.count(ACTION_B, COMMIT, keepTag))
                    .as("commits of B")
                    .isEqualTo(1);
        });
        assertThat(ledger.calls(keepTag).stream()
                        .filter(c -> c.phase() == COMMIT)
                        .map(Call::branchId))
                .containsExactlyInAnyOrderElementsOf(keepBranches);
        within(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(undoLogRows(atRaw, keep.xid()))
                    .as("undo log of the kept transaction")
                    .isZero();
            assertThat(client.lockQuery(atResource, null, "stock:31"))
                    .as("row 31 after commit")
                    .isTrue();
            assertThat(keep.status()).isIn(Checks.COMMITTED_OR_GONE);
        });
        assertThat(stock(atRaw, 31)).isEqualTo(90);

        // the expiring transaction is rolled back by the TC: TCC rollback, AT undo, lock released
        within(Duration.ofMillis(EXPIRING_TIMEOUT_MS + 30_000)).untilAsserted(() -> {
            assertThat(ledger.count(ACTION_A, ROLLBACK, expireTag))
                    .as("rollbacks of A")
                    .isEqualTo(1);
            assertThat(stock(atRaw, 32)).as("row 32 restored").isEqualTo(100);
            assertThat(undoLogRows(atRaw, expire.xid()))
                    .as("undo log of the expired transaction")
                    .isZero();
            assertThat(client.lockQuery(atResource, null, "stock:32"))
                    .as("row 32 after rollback")
                    .isTrue();
            assertThat(expire.status()).isIn(Checks.TIMED_OUT);
        });
        Checks.stays(Duration.ofSeconds(1), () -> {
            assertThat(ledger.count(ACTION_A, COMMIT, expireTag)).isZero();
            assertThat(ledger.count(ACTION_A, ROLLBACK, expireTag)).isEqualTo(1);
            assertThat(ledger.count(ACTION_A, COMMIT, keepTag)).isEqualTo(1);
            assertThat(ledger.count(ACTION_B, COMMIT, keepTag)).isEqualTo(1);
            assertThat(ledger.count(ACTION_A, ROLLBACK, keepTag) + ledger.count(ACTION_B, ROLLBACK, keepTag))
                    .isZero();
        });
    }
}
