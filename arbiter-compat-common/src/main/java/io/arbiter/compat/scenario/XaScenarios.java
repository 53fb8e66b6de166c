package io.arbiter.compat.scenario;

import static io.arbiter.compat.db.Schemas.addStock;
import static io.arbiter.compat.db.Schemas.preparedXaTransactions;
import static io.arbiter.compat.db.Schemas.putStock;
import static io.arbiter.compat.db.Schemas.stock;
import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Schemas;
import io.arbiter.compat.server.InProcessArbiter;
import io.arbiter.compat.server.RunningTc;
import io.arbiter.compat.server.Settings;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** XA on PostgreSQL (prepared transactions) against an in-process Arbiter: commit and rollback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class XaScenarios {
    private RunningTc tc;
    private CompatPostgres pg;
    private CompatClient client;
    private DataSource xaRaw;
    private DataSource xa;

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
        xaRaw = pg.createDatabase("compat_xa");
        Schemas.createStock(xaRaw);
        SharedCoordinator.Coordinated coordinated = SharedCoordinator.forFamily(
                Settings.merge(SharedCoordinator.SCENARIO_SETTINGS, serverSettings()), this::startTc, this::newClient);
        tc = coordinated.tc();
        client = coordinated.client();
        xa = client.xaDataSource(xaRaw);
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
    void xaCommitMakesThePreparedChangeVisible() throws Exception {
        putStock(xaRaw, 21, 100);
        GlobalTx tx = client.begin("compat-xa-commit", 30_000);
        assertThat(addStock(xa, 21, -10)).isEqualTo(1);
        // phase one: prepared, not visible
        assertThat(preparedXaTransactions(xaRaw)).isEqualTo(1);
        assertThat(stock(xaRaw, 21)).isEqualTo(100);

        assertThat(tx.commit()).isEqualTo("Committed");
        assertThat(stock(xaRaw, 21)).isEqualTo(90);
        assertThat(preparedXaTransactions(xaRaw)).isZero();
    }

    @Test
    void xaRollbackDiscardsThePreparedChange() throws Exception {
        putStock(xaRaw, 22, 100);
        GlobalTx tx = client.begin("compat-xa-rollback", 30_000);
        assertThat(addStock(xa, 22, -10)).isEqualTo(1);
        assertThat(preparedXaTransactions(xaRaw)).isEqualTo(1);

        assertThat(tx.rollback()).isEqualTo("Rollbacked");
        assertThat(stock(xaRaw, 22)).isEqualTo(100);
        assertThat(preparedXaTransactions(xaRaw)).isZero();
    }
}
