package io.arbiter.compat.seata25;

import static io.arbiter.compat.client.TccLedger.Phase.ROLLBACK;
import static io.arbiter.compat.client.TccLedger.Phase.TRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccLedger.Call;
import io.arbiter.compat.scenario.Checks;
import io.arbiter.compat.server.InProcessArbiter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.seata.integration.tx.api.util.ProxyUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Seata 2.5's annotation Saga ({@code @CompensationBusinessAction}, branch type {@code SAGA_ANNOTATION}, known only by
 * 2.5 clients) against one in-process node: the forward step is the whole of phase one, a commit leaves the
 * compensation alone, a rollback calls it until it succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Seata25SagaAnnotationTest {
    private final TccLedger ledger = TccLedger.get();
    private InProcessArbiter tc;
    private CompatClient client;
    private CompatSagaAction saga;

    @BeforeAll
    void start() throws Exception {
        tc = InProcessArbiter.start(Map.of("arbiter.retry-backoff-ms", "200", "arbiter.tick-interval-ms", "100"));
        client = new Seata25Client();
        client.init(tc);
        saga = ProxyUtil.createProxy(new CompatSagaActionImpl());
    }

    @AfterEach
    void unbind() {
        client.unbind();
    }

    @AfterAll
    void stop() throws Exception {
        if (tc != null) {
            tc.close();
        }
    }

    @Test
    void aCommitLeavesTheCompensationAlone() throws Throwable {
        String tag = Checks.tag("saga-annotation-commit");
        GlobalTx tx = client.begin("compat-saga-annotation-commit", 30_000);
        saga.act(null, tag);
        List<Call> steps = ledger.calls(tag);
        assertThat(steps).extracting(Call::phase).containsExactly(TRY);
        assertThat(steps.get(0).xid()).isEqualTo(tx.xid());
        assertThat(steps.get(0).branchId()).as("the registered branch").isPositive();

        assertThat(tx.commit()).isEqualTo("Committed");
        Checks.stays(
                Duration.ofSeconds(1),
                () -> assertThat(ledger.count(CompatSagaAction.NAME, ROLLBACK, tag))
                        .as("compensations")
                        .isZero());
        assertThat(tx.status()).isIn(Checks.COMMITTED_OR_GONE);
    }

    /**
     * The coordinator's rollback names the branch type, and the 2.5 client hands it to its Saga-annotation RM, which
     * runs the compensation with the forward step's context; a failed compensation is called again.
     */
    @Test
    void aRollbackCompensatesUntilTheCompensationSucceeds() throws Throwable {
        String tag = Checks.tag("saga-annotation-rollback");
        ledger.failRollbacks(CompatSagaAction.NAME, tag, 2);
        GlobalTx tx = client.begin("compat-saga-annotation-rollback", 30_000);
        saga.act(null, tag);
        long branchId = ledger.calls(tag).get(0).branchId();

        assertThat(tx.rollback()).isIn("Rollbacked", "RollbackRetrying");
        Checks.within(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ledger.count(CompatSagaAction.NAME, ROLLBACK, tag))
                        .as("compensations")
                        .isEqualTo(3));
        Checks.within(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tx.status()).isIn(Checks.ROLLED_BACK_OR_GONE));
        Checks.stays(
                Duration.ofSeconds(1),
                () -> assertThat(ledger.count(CompatSagaAction.NAME, ROLLBACK, tag))
                        .as("compensations")
                        .isEqualTo(3));
        assertThat(ledger.calls(tag).stream().filter(c -> c.phase() == ROLLBACK))
                .extracting(Call::branchId)
                .containsOnly(branchId);
    }
}
