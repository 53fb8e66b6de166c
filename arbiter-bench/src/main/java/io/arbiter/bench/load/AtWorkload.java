package io.arbiter.bench.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.seata.rm.datasource.DataSourceProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * {@code at}: inventory deduction in AT mode on an embedded PostgreSQL. {@code stock} holds {@code rows} items with
 * {@code initialStock} each; every transaction picks a random item and, in one local transaction through Seata's
 * {@code DataSourceProxy} (one AT branch, two row locks), decrements its stock and inserts an order row, then
 * commits globally. At the end (undo logs drained) {@code sum(stock.qty) + count(orders)} must equal
 * {@code rows * initialStock}: committed deductions each have an order, rolled-back ones have neither.
 */
final class AtWorkload implements Workload {
    static final String SCHEMA = """
            CREATE TABLE stock (id INT PRIMARY KEY, qty INT NOT NULL);
            CREATE TABLE orders (id BIGINT PRIMARY KEY, item_id INT NOT NULL, qty INT NOT NULL);
            CREATE TABLE undo_log
            (
                id            SERIAL       NOT NULL,
                branch_id     BIGINT       NOT NULL,
                xid           VARCHAR(128) NOT NULL,
                context       VARCHAR(128) NOT NULL,
                rollback_info BYTEA        NOT NULL,
                log_status    INT          NOT NULL,
                log_created   TIMESTAMP(0) NOT NULL,
                log_modified  TIMESTAMP(0) NOT NULL,
                CONSTRAINT pk_undo_log PRIMARY KEY (id),
                CONSTRAINT ux_undo_log UNIQUE (xid, branch_id)
            );
            CREATE INDEX ix_log_created ON undo_log(log_created);
            CREATE SEQUENCE IF NOT EXISTS undo_log_id_seq INCREMENT BY 1 MINVALUE 1;
            """;

    private final int timeoutMs;
    private final int rows;
    private final int initialStock;
    private final int threads;
    private final AtomicLong orderIds = new AtomicLong();
    private EmbeddedPostgres pg;
    private DataSource raw;
    private HikariDataSource pool;
    private DataSource proxy;

    AtWorkload(int timeoutMs, int rows, int initialStock, int threads) {
        if (rows < 1 || initialStock < 1) {
            throw new IllegalArgumentException("--at-rows and --at-stock must be positive");
        }
        this.timeoutMs = timeoutMs;
        this.rows = rows;
        this.initialStock = initialStock;
        this.threads = threads;
    }

    @Override
    public boolean needsRm() {
        return true;
    }

    @Override
    public void setUp() throws Exception {
        pg = EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", String.valueOf(Math.max(100, threads * 2 + 20)))
                .start();
        raw = pg.getPostgresDatabase();
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement()) {
            s.execute(SCHEMA);
            s.execute("INSERT INTO stock (id, qty) SELECT g, " + initialStock + " FROM generate_series(1, " + rows
                    + ") g");
            s.execute("VACUUM ANALYZE stock");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(threads + 4);
        config.setMinimumIdle(threads + 4);
        config.setPoolName("bench-at");
        pool = new HikariDataSource(config);
        proxy = new DataSourceProxy(pool);
    }

    @Override
    public void runOne() throws Exception {
        int item = ThreadLocalRandom.current().nextInt(rows) + 1;
        long orderId = orderIds.incrementAndGet();
        GlobalTx.commit(timeoutMs, "bench-at", () -> {
            try (Connection c = proxy.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement up = c.prepareStatement("UPDATE stock SET qty = qty - 1 WHERE id = ?");
                        PreparedStatement ins =
                                c.prepareStatement("INSERT INTO orders (id, item_id, qty) VALUES (?, ?, 1)")) {
                    up.setInt(1, item);
                    if (up.executeUpdate() != 1) {
                        throw new IllegalStateException("no stock row " + item);
                    }
                    ins.setLong(1, orderId);
                    ins.setInt(2, item);
                    ins.executeUpdate();
                    c.commit();
                } catch (Exception | Error e) {
                    try {
                        c.rollback();
                    } catch (SQLException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
        });
    }

    @Override
    public Map<String, Object> verify(long succeeded) throws Exception {
        // AT phase two deletes undo logs asynchronously (and a rollback restores rows from them): wait for the drain
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long undo = count("SELECT count(*) FROM undo_log");
        while (undo > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            undo = count("SELECT count(*) FROM undo_log");
        }
        long stock = count("SELECT coalesce(sum(qty), 0) FROM stock");
        long orders = count("SELECT count(*) FROM orders");
        long initial = (long) rows * initialStock;
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("rows", rows);
        check.put("initialTotal", initial);
        check.put("stockLeft", stock);
        check.put("orders", orders);
        check.put("succeeded", succeeded);
        check.put("undoLogLeft", undo);
        check.put("conserved", stock + orders == initial);
        return check;
    }

    @Override
    public boolean passed(Map<String, Object> check) {
        return Boolean.TRUE.equals(check.get("conserved")) && Long.valueOf(0).equals(check.get("undoLogLeft"));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (pg != null) {
            pg.close();
        }
    }
}
