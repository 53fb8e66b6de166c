package io.arbiter.compat.scenario;

import static io.arbiter.compat.db.Schemas.addStock;
import static io.arbiter.compat.db.Schemas.addStockAll;
import static io.arbiter.compat.db.Schemas.putStock;
import static io.arbiter.compat.db.Schemas.selectStockForUpdate;
import static io.arbiter.compat.db.Schemas.stock;
import static io.arbiter.compat.db.Schemas.undoLogRows;
import static io.arbiter.compat.scenario.Checks.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Schemas;
import io.arbiter.compat.server.InProcessArbiter;
import io.arbiter.compat.server.RunningTc;
import io.arbiter.compat.server.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * AT on PostgreSQL against an in-process Arbiter: commit, rollback, concurrent updates of one row, and the global
 * lock seen by {@code @GlobalLock}-mode reads and by lock queries. (XA is in {@link XaScenarios}: a Seata client
 * switches its default branch type to XA for the whole JVM once an XA proxy exists.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AtScenarios {
    private RunningTc tc;
    private CompatPostgres pg;
    private CompatClient client;
    private DataSource atRaw;
    private DataSource at;
    private String atResource;

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
    void start() throws Exception {
        pg = CompatPostgres.start();
        atRaw = pg.createDatabase("compat_at");
        Schemas.createUndoLog(atRaw);
        Schemas.createStock(atRaw);
        SharedCoordinator.Coordinated coordinated = SharedCoordinator.forFamily(
                Settings.merge(SharedCoordinator.SCENARIO_SETTINGS, serverSettings()), this::startTc, this::newClient);
        tc = coordinated.tc();
        client = coordinated.client();
        at = client.atDataSource(atRaw);
        atResource = client.resourceId(at);
    }

    /** The coordinator, the client, the AT data source (proxied and raw) and its resource id, for subclasses. */
    protected RunningTc tc() {
        return tc;
    }

    protected CompatClient client() {
        return client;
    }

    protected DataSource at() {
        return at;
    }

    protected DataSource atRaw() {
        return atRaw;
    }

    protected String atResource() {
        return atResource;
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

    @AfterEach
    void unbind() {
        client.unbind();
    }

    @Test
    void atCommitKeepsTheChangeAndDeletesTheUndoLog() throws Exception {
        putStock(atRaw, 11, 100);
        GlobalTx tx = client.begin("compat-at-commit", 30_000);
        assertThat(addStock(at, 11, -10)).isEqualTo(1);
        // phase one: committed locally, with its undo log
        assertThat(stock(atRaw, 11)).isEqualTo(90);
        assertThat(undoLogRows(atRaw, tx.xid())).isEqualTo(1);

        assertThat(tx.commit()).isEqualTo("Committed");
        assertThat(stock(atRaw, 11)).isEqualTo(90);
        // the TC delivers the (asynchronous) branch commit; the RM then deletes the undo log
        within(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(undoLogRows(atRaw, tx.xid())).isZero());
        assertThat(client.lockQuery(atResource, null, "stock:11")).isTrue();
    }

    @Test
    void atRollbackRestoresTheRow() throws Exception {
        putStock(atRaw, 12, 100);
        GlobalTx tx = client.begin("compat-at-rollback", 30_000);
        assertThat(addStock(at, 12, -10)).isEqualTo(1);
        assertThat(stock(atRaw, 12)).isEqualTo(90);

        // AT rollback is synchronous: the undo log has been applied when the TM hears Rollbacked
        assertThat(tx.rollback()).isEqualTo("Rollbacked");
        assertThat(stock(atRaw, 12)).isEqualTo(100);
        assertThat(undoLogRows(atRaw, tx.xid())).isZero();
        assertThat(client.lockQuery(atResource, null, "stock:12")).isTrue();
    }

    @Test
    void atMultiRowRollbackRestoresEveryRowAndLocksEachKey() throws Exception {
        putStock(atRaw, 16, 100);
        putStock(atRaw, 17, 200);
        GlobalTx tx = client.begin("compat-at-multi", 30_000);
        assertThat(addStockAll(at, -7, 16, 17)).isEqualTo(2);
        tx.suspend();
        assertThat(client.lockQuery(atResource, null, "stock:16")).as("row 16").isFalse();
        assertThat(client.lockQuery(atResource, null, "stock:17")).as("row 17").isFalse();
        assertThat(client.lockQuery(atResource, null, "stock:18")).as("row 18").isTrue();
        assertThat(stock(atRaw, 16)).isEqualTo(93);
        assertThat(stock(atRaw, 17)).isEqualTo(193);

        assertThat(tx.rollback()).isEqualTo("Rollbacked");
        assertThat(stock(atRaw, 16)).isEqualTo(100);
        assertThat(stock(atRaw, 17)).isEqualTo(200);
        assertThat(undoLogRows(atRaw, tx.xid())).isZero();
        assertThat(client.lockQuery(atResource, null, "stock:16,17"))
                .as("rows 16 and 17 after rollback")
                .isTrue();
    }

    @Test
    void undoLogDeleteRequestMakesTheRmDropOldUndoLogs() throws Exception {
        // the TC asks RMs of resources that had AT branches; make sure this one had
        putStock(atRaw, 18, 100);
        GlobalTx tx = client.begin("compat-at-undo-delete", 30_000);
        assertThat(addStock(at, 18, -1)).isEqualTo(1);
        assertThat(tx.commit()).isEqualTo("Committed");
        String stale = "compat-stale:1:" + System.nanoTime();
        String fresh = "compat-fresh:1:" + System.nanoTime();
        Schemas.insertUndoLog(atRaw, stale, 1, 9);
        Schemas.insertUndoLog(atRaw, fresh, 1, 0);

        // older than the save days (7): deleted by the RM on the TC's UndoLogDeleteRequest; younger: kept
        within(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(undoLogRows(atRaw, stale)).isZero());
        assertThat(undoLogRows(atRaw, fresh)).isEqualTo(1);
    }

    /**
     * Two threads change one row in global transactions, each held open a moment, every third one rolled back. Only
     * the TC's row lock keeps a transaction from changing the row while another one's change may still be undone:
     * without it a rollback would restore a stale image (a lost update) or find the row dirty and fail.
     */
    @Test
    void concurrentTransactionsOnOneRowLoseNoUpdate() throws Exception {
        int threads = 2;
        int perThread = 12;
        putStock(atRaw, 13, 1_000);
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger rolledBack = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        List<String> problems = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        boolean commit = i % 3 != 2;
                        if (takeOne(commit, conflicts, problems)) {
                            (commit ? committed : rolledBack).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(problems).isEmpty();
        assertThat(committed.get()).isEqualTo(threads * perThread * 2 / 3);
        assertThat(rolledBack.get()).isEqualTo(threads * perThread / 3);
        assertThat(stock(atRaw, 13))
                .as("no lost update (%d lock conflicts began again)", conflicts.get())
                .isEqualTo(1_000 - committed.get());
    }

    /**
     * One global transaction that takes 1 from row 13 and then commits or rolls back; begun again (up to 20 times)
     * if the client gives up waiting for the row's global lock. Returns whether it ended as asked.
     */
    private boolean takeOne(boolean commit, AtomicInteger conflicts, List<String> problems) {
        for (int attempt = 0; attempt < 20; attempt++) {
            GlobalTx tx = null;
            try {
                tx = client.begin("compat-at-concurrent", 30_000);
                if (addStock(at, 13, -1) != 1) {
                    problems.add("update changed no row");
                }
                Thread.sleep(20);
                String expected = commit ? "Committed" : "Rollbacked";
                String status = commit ? tx.commit() : tx.rollback();
                if (!status.equals(expected)) {
                    problems.add(tx.xid() + (commit ? " commit" : " rollback") + " answered " + status);
                    return false;
                }
                return true;
            } catch (Exception e) {
                if (!client.isLockConflict(e)) {
                    problems.add("unexpected: " + e);
                    return false;
                }
                conflicts.incrementAndGet();
                try {
                    if (tx != null) {
                        tx.rollback();
                    }
                } catch (Exception rollbackFailure) {
                    problems.add("rollback after a lock conflict failed: " + rollbackFailure);
                }
            } finally {
                client.unbind();
            }
        }
        problems.add("20 attempts ended in lock conflicts");
        return false;
    }

    @Test
    void globalLockIsSeenWhileHeldAndReleasedByCommit() throws Exception {
        putStock(atRaw, 14, 100);
        putStock(atRaw, 15, 100);
        GlobalTx holder = client.begin("compat-at-lock-holder", 30_000);
        assertThat(addStock(at, 14, -1)).isEqualTo(1);
        holder.suspend();

        assertThat(client.lockQuery(atResource, null, "stock:14"))
                .as("row 14 for others")
                .isFalse();
        assertThat(client.lockQuery(atResource, holder.xid(), "stock:14"))
                .as("row 14 for its holder")
                .isTrue();
        assertThat(client.lockQuery(atResource, null, "stock:15")).as("row 15").isTrue();
        // lock keys as the client writes them: "table:pk,pk" and "table:pk;table:pk"
        assertThat(client.lockQuery(atResource, null, "stock:15,14"))
                .as("rows 15 and 14")
                .isFalse();
        assertThat(client.lockQuery(atResource, null, "stock:15;stock:14"))
                .as("rows 15; 14")
                .isFalse();
        assertThat(client.lockQuery(atResource, null, "stock:15,16"))
                .as("rows 15 and 16")
                .isTrue();
        assertThat(client.lockQuery(atResource + "-other", null, "stock:14"))
                .as("row 14 of another resource")
                .isTrue();
        // another global transaction cannot register a branch on the row (LockKeyConflict, retried, then given up)
        GlobalTx rival = client.begin("compat-at-lock-rival", 30_000);
        Throwable rivalFailure = catchThrowable(() -> addStock(at, 14, -5));
        assertThat(rivalFailure).as("update of a row another transaction holds").isNotNull();
        assertThat(client.isLockConflict(rivalFailure))
                .as("lock conflict: %s", rivalFailure)
                .isTrue();
        assertThat(rival.rollback()).isEqualTo("Rollbacked");
        assertThat(stock(atRaw, 14)).isEqualTo(99);
        // @GlobalLock semantics: SELECT ... FOR UPDATE asks the TC and gives up after its retries
        Throwable blocked = catchThrowable(() -> client.underGlobalLock(10, 3, () -> selectStockForUpdate(at, 14)));
        assertThat(blocked).as("global-lock read of a locked row").isNotNull();
        assertThat(client.isLockConflict(blocked))
                .as("lock conflict: %s", blocked)
                .isTrue();
        assertThat(client.underGlobalLock(10, 3, () -> selectStockForUpdate(at, 15)))
                .isEqualTo(100);

        assertThat(holder.commit()).isEqualTo("Committed");
        within(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(client.lockQuery(atResource, null, "stock:14"))
                        .isTrue());
        assertThat(client.underGlobalLock(10, 3, () -> selectStockForUpdate(at, 14)))
                .isEqualTo(99);
    }
}
