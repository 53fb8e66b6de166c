package io.arbiter.compat.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** DDL and plain-JDBC reads that bypass any Seata proxy (use them on the raw DataSource). */
public final class Schemas {
    /** Seata's AT undo table for PostgreSQL, as in {@code script/client/at/db/postgresql.sql}. */
    public static final String UNDO_LOG_DDL = """
            CREATE TABLE IF NOT EXISTS public.undo_log
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
            CREATE INDEX IF NOT EXISTS ix_log_created ON undo_log(log_created);
            CREATE SEQUENCE IF NOT EXISTS undo_log_id_seq INCREMENT BY 1 MINVALUE 1;
            """;

    /** The business table: one row per item, {@code qty} is what transactions change. */
    public static final String STOCK_DDL = """
            CREATE TABLE IF NOT EXISTS public.stock
            (
                id  INT PRIMARY KEY,
                qty INT NOT NULL
            );
            """;

    private Schemas() {}

    public static void createUndoLog(DataSource raw) throws SQLException {
        execute(raw, UNDO_LOG_DDL);
    }

    public static void createStock(DataSource raw) throws SQLException {
        execute(raw, STOCK_DDL);
    }

    /** Inserts or resets a stock row. */
    public static void putStock(DataSource raw, int id, int qty) throws SQLException {
        try (Connection c = raw.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO stock (id, qty) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET qty = EXCLUDED.qty")) {
            ps.setInt(1, id);
            ps.setInt(2, qty);
            ps.executeUpdate();
        }
    }

    /**
     * {@code UPDATE stock SET qty = qty + delta} in auto-commit mode; through a Seata proxy this is one branch of the
     * global transaction bound to the calling thread. Returns the number of rows changed.
     */
    public static int addStock(DataSource ds, int id, int delta) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE stock SET qty = qty + ? WHERE id = ?")) {
            ps.setInt(1, delta);
            ps.setInt(2, id);
            return ps.executeUpdate();
        }
    }

    /** {@code UPDATE stock SET qty = qty + delta WHERE id IN (ids)} in auto-commit mode: one branch, many rows. */
    public static int addStockAll(DataSource ds, int delta, int... ids) throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(ids.length, "?"));
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("UPDATE stock SET qty = qty + ? WHERE id IN (" + marks + ")")) {
            ps.setInt(1, delta);
            for (int i = 0; i < ids.length; i++) {
                ps.setInt(i + 2, ids[i]);
            }
            return ps.executeUpdate();
        }
    }

    /**
     * Writes an undo_log row as an AT branch would, dated {@code daysAgo} days back (the undo information itself is
     * a placeholder: nothing applies it), to see what the TC's UndoLogDeleteRequest makes the RM delete.
     */
    public static void insertUndoLog(DataSource raw, String xid, long branchId, int daysAgo) throws SQLException {
        try (Connection c = raw.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO undo_log (branch_id, xid, context, rollback_info, log_status, log_created, log_modified)"
                                + " VALUES (?, ?, 'serializer=jackson', ?, 0, now() - make_interval(days => ?),"
                                + " now() - make_interval(days => ?))")) {
            ps.setLong(1, branchId);
            ps.setString(2, xid);
            ps.setBytes(3, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ps.setInt(4, daysAgo);
            ps.setInt(5, daysAgo);
            ps.executeUpdate();
        }
    }

    /** {@code SELECT qty FROM stock WHERE id = ? FOR UPDATE} in auto-commit mode (Seata checks global locks on it). */
    public static int selectStockForUpdate(DataSource ds, int id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, qty FROM stock WHERE id = ? FOR UPDATE")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no stock row " + id);
                }
                return rs.getInt(2);
            }
        }
    }

    /** The committed quantity of a stock row, read outside any global transaction. */
    public static int stock(DataSource raw, int id) throws SQLException {
        try (Connection c = raw.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT qty FROM stock WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no stock row " + id);
                }
                return rs.getInt(1);
            }
        }
    }

    /** How many undo_log rows a global transaction left (0 once its AT branches are committed or rolled back). */
    public static int undoLogRows(DataSource raw, String xid) throws SQLException {
        try (Connection c = raw.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM undo_log WHERE xid = ?")) {
            ps.setString(1, xid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** How many XA transactions are prepared and not yet committed or rolled back in the whole server. */
    public static int preparedXaTransactions(DataSource raw) throws SQLException {
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_prepared_xacts")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The first column of the first row {@code sql} (with one {@code ?}, bound to {@code param}) finds, or null. */
    public static String firstValue(DataSource ds, String sql, Object param) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void execute(DataSource raw, String sql) throws SQLException {
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
