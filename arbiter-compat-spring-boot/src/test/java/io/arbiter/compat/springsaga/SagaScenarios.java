package io.arbiter.compat.springsaga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Schemas;
import io.arbiter.compat.server.Health;
import io.arbiter.compat.springboot.Arbiters;
import io.seata.saga.engine.StateMachineEngine;
import io.seata.saga.statelang.domain.ExecutionStatus;
import io.seata.saga.statelang.domain.StateMachineInstance;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Saga state-machine application (Seata's saga engine in Spring Boot, its state log in PostgreSQL) against Arbiter
 * (subclasses start it and say how the application finds it): the engine begins the global transaction, registers and reports a SAGA branch per service task and
 * reports the end; a refused charge is compensated by the engine and reported rolled back; a charge with an unknown
 * outcome is reported for the coordinator to retry, which calls the saga RM's phase two (branch id -1), where the
 * engine goes forward from the failed state.
 */
// the io.seata saga API is deprecated from 2.1 on, yet it is the one the client's saga RM uses (see SagaApplication)
@SuppressWarnings("deprecation")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SagaScenarios {
    private static final Duration RETRIED = Duration.ofSeconds(60);

    private CompatPostgres pg;
    private DataSource raw;
    private AutoCloseable arbiter;
    private ConfigurableApplicationContext app;
    private StateMachineEngine engine;
    private SagaActions actions;

    @BeforeAll
    void start() throws Exception {
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        pg = CompatPostgres.start();
        raw = pg.createDatabase("saga");
        createStateLog(raw);
        arbiter = startArbiter();
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + pg.jdbcUrl("saga"),
                "--seata.application-id=spring-saga",
                "--seata.tx-service-group=shop_tx_group",
                "--seata.service.vgroup-mapping.shop_tx_group=default",
                // the state log is written through the plain DataSource, not as AT branches
                "--seata.enable-auto-data-source-proxy=false"));
        discovery(arbiter).forEach((k, v) -> args.add("--" + k + "=" + v));
        app = new SpringApplicationBuilder(SagaApplication.class)
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
        engine = app.getBean(StateMachineEngine.class);
        actions = app.getBean(SagaActions.class);
    }

    @AfterAll
    void stop() throws Exception {
        Arbiters.closeInOrder(app, arbiter, pg);
    }

    /** Starts Arbiter (one node or a cluster); closed after the tests. */
    protected abstract AutoCloseable startArbiter() throws Exception;

    /** The application properties that point Seata's client at the running Arbiter. */
    protected abstract Map<String, String> discovery(AutoCloseable arbiter);

    /** A regular expression every XID of this Arbiter matches. */
    protected abstract String xidPattern(AutoCloseable arbiter);

    /** Live transactions on each node, as its health reports them (empty if a node does not answer). */
    protected abstract List<Optional<Health.Report>> health(AutoCloseable arbiter);

    private StateMachineInstance run(String key, String mode) {
        // the engine adds to the start parameters
        Map<String, Object> params = new HashMap<>(Map.of("key", key, "mode", mode));
        return engine.startWithBusinessKey("sellWithCharge", null, key, params);
    }

    @Test
    void aSagaThatSucceedsCommitsOnTheCoordinator() throws Exception {
        StateMachineInstance instance = run("ok-1", "ok");
        assertThat(instance.getStatus()).isEqualTo(ExecutionStatus.SU);
        assertThat(instance.getCompensationStatus()).isNull();
        assertThat(instance.getId())
                .as("the instance is the global transaction")
                .matches(xidPattern(arbiter));
        assertThat(actions.calls()).contains("reduceStock:ok-1", "charge:ok-1").doesNotContain("refund:ok-1");
        awaitNoLiveTransaction();
    }

    @Test
    void aRefusedChargeIsCompensatedAndRolledBack() throws Exception {
        StateMachineInstance instance = run("refused-1", "refused");
        assertThat(instance.getStatus()).isNotEqualTo(ExecutionStatus.SU);
        assertThat(instance.getCompensationStatus()).isEqualTo(ExecutionStatus.SU);
        assertThat(instance.getId()).matches(xidPattern(arbiter));
        // the stock reduced before is restored; the refused charge itself did nothing to undo
        assertThat(actions.count("restoreStock", "refused-1")).isEqualTo(1);
        assertThat(actions.count("refund", "refused-1")).isZero();
        awaitNoLiveTransaction();
    }

    @Test
    void anUnknownChargeIsRetriedByTheCoordinatorThroughTheSagaRm() throws Exception {
        StateMachineInstance instance = run("unknown-1", "unknown-once");
        assertThat(instance.getStatus()).isEqualTo(ExecutionStatus.UN);
        String xid = instance.getId();
        assertThat(xid).matches(xidPattern(arbiter));
        // the coordinator retries the commit: Seata's saga RM goes forward from the failed state, which now succeeds
        await().atMost(RETRIED).until(() -> actions.count("charge", "unknown-1") == 2);
        await().atMost(RETRIED).until(() -> "SU".equals(instanceStatus(xid)));
        assertThat(actions.count("reduceStock", "unknown-1")).isEqualTo(1);
        assertThat(actions.count("refund", "unknown-1")).isZero();
        awaitNoLiveTransaction();
    }

    private void awaitNoLiveTransaction() {
        await().atMost(RETRIED)
                .until(() -> health(arbiter).stream()
                        .allMatch(r -> r.map(h -> h.transactions() == 0).orElse(false)));
    }

    private String instanceStatus(String id) throws SQLException {
        return Schemas.firstValue(raw, "SELECT status FROM seata_state_machine_inst WHERE id = ?", id);
    }

    /** The saga engine's state-log tables (definitions, machine instances, state instances), for PostgreSQL. */
    private static void createStateLog(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE seata_state_machine_def (id VARCHAR(32) PRIMARY KEY, name VARCHAR(128) NOT NULL,"
                    + " tenant_id VARCHAR(32) NOT NULL, app_name VARCHAR(32) NOT NULL, type VARCHAR(20),"
                    + " comment_ VARCHAR(255), ver VARCHAR(16) NOT NULL, gmt_create TIMESTAMP(3) NOT NULL,"
                    + " status VARCHAR(2) NOT NULL, content TEXT, recover_strategy VARCHAR(16))");
            s.execute("CREATE TABLE seata_state_machine_inst (id VARCHAR(128) PRIMARY KEY,"
                    + " machine_id VARCHAR(32) NOT NULL, tenant_id VARCHAR(32) NOT NULL, parent_id VARCHAR(128),"
                    + " gmt_started TIMESTAMP(3) NOT NULL, business_key VARCHAR(48), start_params TEXT,"
                    + " gmt_end TIMESTAMP(3), excep BYTEA, end_params TEXT, status VARCHAR(2),"
                    + " compensation_status VARCHAR(2), is_running BOOLEAN, gmt_updated TIMESTAMP(3) NOT NULL,"
                    + " UNIQUE (business_key, tenant_id))");
            s.execute("CREATE TABLE seata_state_inst (id VARCHAR(48) NOT NULL, machine_inst_id VARCHAR(128) NOT NULL,"
                    + " name VARCHAR(128) NOT NULL, type VARCHAR(20), service_name VARCHAR(128),"
                    + " service_method VARCHAR(128), service_type VARCHAR(16), business_key VARCHAR(48),"
                    + " state_id_compensated_for VARCHAR(50), state_id_retried_for VARCHAR(50),"
                    + " gmt_started TIMESTAMP(3) NOT NULL, is_for_update BOOLEAN, input_params TEXT,"
                    + " output_params TEXT, status VARCHAR(2) NOT NULL, excep BYTEA, gmt_updated TIMESTAMP(3),"
                    + " gmt_end TIMESTAMP(3), PRIMARY KEY (id, machine_inst_id))");
        }
    }
}
