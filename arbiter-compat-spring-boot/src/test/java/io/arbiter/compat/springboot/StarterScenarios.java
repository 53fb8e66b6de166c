package io.arbiter.compat.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.arbiter.compat.db.CompatPostgres;
import io.arbiter.compat.db.Schemas;
import io.arbiter.compat.server.ArbiterEndpoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a Spring Boot application on Seata's starter does against Arbiter, with its DataSource proxied in AT or XA
 * mode: sales committed and rolled back, an order with a TCC payment committed and rolled back, and concurrent sales
 * of one row serialized (AT: by the global lock; XA: by the row lock PostgreSQL keeps for the prepared branch until
 * phase two), and a {@code @GlobalLock} write outside any global transaction that waits for the one holding its row
 * and applies over its rollback. The application is started with properties only ({@code seata.*} as Seata's
 * documentation gives them, Arbiter's addresses where a Seata server's would be); subclasses start Arbiter and say
 * how the application finds it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StarterScenarios {
    private static final int ITEMS = 10;
    private static final int UNITS = 100_000;
    private static final Duration PHASE_TWO = Duration.ofSeconds(30);

    private final AtomicLong orderIds = new AtomicLong(1_000);
    private CompatPostgres pg;
    private DataSource raw;
    private AutoCloseable arbiter;
    private ArbiterEndpoint endpoint;
    private ConfigurableApplicationContext app;
    private ShopService shop;
    private PaymentLedger ledger;

    /** Starts Arbiter (one node or a cluster); closed after the tests. */
    protected abstract AutoCloseable startArbiter() throws Exception;

    /** The node the application's XIDs come from (null when any node of a cluster may hand them out). */
    protected abstract ArbiterEndpoint xidSource(AutoCloseable arbiter);

    /** The application properties that point Seata's client at the running Arbiter. */
    protected abstract Map<String, String> discovery(AutoCloseable arbiter);

    /** How the starter proxies the application's DataSource ({@code seata.data-source-proxy-mode}): AT or XA. */
    protected String dataSourceProxyMode() {
        return "AT";
    }

    @BeforeAll
    void start() throws Exception {
        // the test's logback is configured by its file (Spring Boot 2.7 would expect logback 1.2 and fail on 1.5)
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        pg = CompatPostgres.start();
        raw = pg.createDatabase("shop");
        Schemas.createUndoLog(raw);
        Schemas.createStock(raw);
        execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, xid VARCHAR(128) NOT NULL, item INT, units INT)");
        for (int item = 1; item <= ITEMS; item++) {
            Schemas.putStock(raw, item, UNITS);
        }
        arbiter = startArbiter();
        endpoint = xidSource(arbiter);
        Map<String, String> properties = new HashMap<>();
        properties.put("spring.datasource.url", pg.jdbcUrl("shop"));
        properties.put("spring.datasource.hikari.maximum-pool-size", "10");
        properties.put("seata.application-id", "spring-shop");
        properties.put("seata.tx-service-group", "shop_tx_group");
        properties.put("seata.data-source-proxy-mode", dataSourceProxyMode());
        properties.put("seata.service.vgroup-mapping.shop_tx_group", "default");
        // the concurrent sales wait for each other's row: allow a slow machine more than the default 30 x 10 ms
        properties.put("seata.client.rm.lock.retry-times", "1000");
        properties.putAll(discovery(arbiter));
        // as arguments, like application.yml above Seata's own defaults (SpringApplicationBuilder#properties would
        // put them below: there Seata's registry.type=file default wins)
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        app = new SpringApplicationBuilder(ShopApplication.class)
                .web(WebApplicationType.NONE)
                .run(args);
        shop = app.getBean(ShopService.class);
        ledger = app.getBean(PaymentLedger.class);
    }

    @AfterAll
    void stop() throws Exception {
        Arbiters.closeInOrder(app, arbiter, pg);
    }

    @Test
    void aCommittedSaleKeepsItsWritesAndTheCoordinatorDeletesItsUndoLog() throws Exception {
        long order = orderIds.incrementAndGet();
        int before = Schemas.stock(raw, 1);
        String xid = shop.sell(order, 1, 3, false);
        assertXidFromArbiter(xid);
        assertThat(Schemas.stock(raw, 1)).isEqualTo(before - 3);
        assertThat(orderXid(order)).isEqualTo(xid);
        awaitPhaseTwo(xid);
    }

    @Test
    void aFailedSaleIsRolledBackByTheCoordinator() throws Exception {
        long order = orderIds.incrementAndGet();
        int before = Schemas.stock(raw, 2);
        // the application's own failure, as it is or as the cause (the io.seata 2.0 starter wraps it in "try to
        // proceed invocation error")
        assertThatThrownBy(() -> shop.sell(order, 2, 4, true)).hasStackTraceContaining("failed after selling");
        assertThat(Schemas.stock(raw, 2)).isEqualTo(before);
        assertThat(orderXid(order)).isNull();
        assertThat(count("SELECT count(*) FROM undo_log")).isZero();
        assertThat(preparedHere()).as("XA branches left prepared").isZero();
    }

    @Test
    void anOrderWithATccPaymentCommitsBothBranches() throws Exception {
        long order = orderIds.incrementAndGet();
        int before = Schemas.stock(raw, 3);
        String xid = shop.order(order, 3, 2, false);
        assertXidFromArbiter(xid);
        String payment = "order-" + order;
        await().atMost(PHASE_TWO).until(() -> ledger.count("confirm", payment) == 1);
        assertThat(ledger.count("reserve", payment)).isEqualTo(1);
        assertThat(ledger.count("cancel", payment)).isZero();
        assertThat(Schemas.stock(raw, 3)).isEqualTo(before - 2);
        assertThat(orderXid(order)).isEqualTo(xid);
        awaitPhaseTwo(xid);
    }

    @Test
    void aFailedOrderCancelsThePaymentAndRestoresTheStock() throws Exception {
        long order = orderIds.incrementAndGet();
        int before = Schemas.stock(raw, 4);
        assertThatThrownBy(() -> shop.order(order, 4, 5, true)).hasStackTraceContaining("failed after paying");
        String payment = "order-" + order;
        // the TM hears Rollbacked once phase two is done: the participant's cancel has run by then
        assertThat(ledger.count("cancel", payment)).isEqualTo(1);
        assertThat(ledger.count("confirm", payment)).isZero();
        assertThat(Schemas.stock(raw, 4)).isEqualTo(before);
        assertThat(orderXid(order)).isNull();
    }

    @Test
    void concurrentSalesOfOneRowAreSerializedByTheGlobalLock() throws Exception {
        int threads = 4;
        int salesEach = 5;
        int before = Schemas.stock(raw, 5);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    List<String> xids = new ArrayList<>();
                    for (int i = 0; i < salesEach; i++) {
                        xids.add(shop.sell(orderIds.incrementAndGet(), 5, 1, false));
                    }
                    return xids;
                }));
            }
            List<String> xids = new ArrayList<>();
            for (Future<List<String>> f : done) {
                xids.addAll(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(xids).doesNotHaveDuplicates().hasSize(threads * salesEach);
        } finally {
            pool.shutdownNow();
        }
        assertThat(Schemas.stock(raw, 5)).isEqualTo(before - threads * salesEach);
        assertThat(count("SELECT count(*) FROM orders WHERE item = 5")).isEqualTo(threads * salesEach);
        awaitNothingPending();
    }

    @Test
    void aGlobalLockWriteWaitsForTheGlobalTransactionThatHoldsTheRow() throws Exception {
        int before = Schemas.stock(raw, 6);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> sale = pool.submit(() -> shop.sellThenFail(6, 7, () -> {
                written.countDown();
                awaitQuietly(release);
            }));
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
            // the mode is the one asked for: AT left an undo log for the write, XA a branch PostgreSQL holds prepared
            assertThat("AT".equals(dataSourceProxyMode()) ? count("SELECT count(*) FROM undo_log") : preparedHere())
                    .as("%s phase one of the held sale", dataSourceProxyMode())
                    .isPositive();
            Future<?> restock = pool.submit(() -> shop.restock(6, 11));
            Thread.sleep(1_500);
            assertThat(restock.isDone())
                    .as("the restock waits while the sale's transaction holds the row")
                    .isFalse();
            release.countDown();
            assertThatThrownBy(() -> sale.get(60, TimeUnit.SECONDS)).hasStackTraceContaining("after a slow sale");
            restock.get(60, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        // the rollback restored the row it wrote, and the restock applied over the restored value: nothing lost
        assertThat(Schemas.stock(raw, 6)).isEqualTo(before + 11);
        awaitNothingPending();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void assertXidFromArbiter(String xid) {
        assertThat(xid).isNotNull();
        if (endpoint != null) {
            assertThat(xid).matches(endpoint.xidPattern());
        }
    }

    /**
     * Phase two done: the coordinator's branch commit made the RM delete the branch's undo log (AT), or commit the
     * branch the database held prepared (XA).
     */
    private void awaitPhaseTwo(String xid) {
        await().atMost(PHASE_TWO)
                .until(() ->
                        count("SELECT count(*) FROM undo_log WHERE xid = '" + xid + "'") == 0 && preparedHere() == 0);
    }

    /** Every branch's phase two done: no undo log (AT) and no prepared branch (XA) left. */
    private void awaitNothingPending() {
        await().atMost(PHASE_TWO).until(() -> count("SELECT count(*) FROM undo_log") == 0 && preparedHere() == 0);
    }

    /** XA branches the shop's database holds prepared, waiting for the coordinator's phase two. */
    private long preparedHere() throws SQLException {
        return count("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()");
    }

    private String orderXid(long order) throws SQLException {
        return Schemas.firstValue(raw, "SELECT xid FROM orders WHERE id = ?", order);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
