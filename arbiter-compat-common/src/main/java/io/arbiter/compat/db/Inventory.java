package io.arbiter.compat.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The AT workload of the high-availability tests: a {@code stock} table (one row per item) and an {@code orders}
 * table (one row per sale, with the XID of the global transaction that made it). A sale takes units out of one
 * stock row and records them in a new order row, in one local transaction, so at every moment
 * {@code sum(stock.qty) + sum(orders.qty)} equals the stock that was put in: a committed sale keeps both
 * changes, a rolled-back one (AT undo) removes both.
 */
public final class Inventory {
    public static final String ORDERS_DDL = """
            CREATE TABLE IF NOT EXISTS public.orders
            (
                id   BIGINT       PRIMARY KEY,
                xid  VARCHAR(128) NOT NULL,
                item INT          NOT NULL,
                qty  INT          NOT NULL
            );
            """;

    private Inventory() {}

    /** Creates {@code undo_log}, {@code stock} and {@code orders}, and puts {@code qty} units of each item in stock. */
    public static void create(DataSource raw, int items, int qty) throws SQLException {
        Schemas.createUndoLog(raw);
        Schemas.createStock(raw);
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement()) {
            s.execute(ORDERS_DDL);
            s.execute("INSERT INTO stock (id, qty) SELECT g, " + qty + " FROM generate_series(1, " + items + ") g"
                    + " ON CONFLICT (id) DO UPDATE SET qty = EXCLUDED.qty");
        }
    }

    /**
     * One sale through {@code ds} (an AT proxy, with a global transaction bound to the calling thread): takes
     * {@code units} of {@code item} out of stock and inserts order {@code orderId} tagged with {@code xid}. Returns
     * false, changing nothing, when the item has fewer units left.
     */
    public static boolean sell(DataSource ds, long orderId, String xid, int item, int units) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int changed;
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE stock SET qty = qty - ? WHERE id = ? AND qty >= ?")) {
                    ps.setInt(1, units);
                    ps.setInt(2, item);
                    ps.setInt(3, units);
                    changed = ps.executeUpdate();
                }
                if (changed == 0) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO orders (id, xid, item, qty) VALUES (?, ?, ?, ?)")) {
                    ps.setLong(1, orderId);
                    ps.setString(2, xid);
                    ps.setInt(3, item);
                    ps.setInt(4, units);
                    ps.executeUpdate();
                }
                c.commit(); // through the AT proxy: branch register with the TC, then the local commit
                return true;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** {@code sum(stock.qty)}. */
    public static long unitsInStock(DataSource raw) throws SQLException {
        return longQuery(raw, "SELECT coalesce(sum(qty), 0) FROM stock");
    }

    /** {@code sum(orders.qty)}. */
    public static long unitsSold(DataSource raw) throws SQLException {
        return longQuery(raw, "SELECT coalesce(sum(qty), 0) FROM orders");
    }

    /** The XIDs of every order row. */
    public static Set<String> orderXids(DataSource raw) throws SQLException {
        Set<String> xids = new HashSet<>();
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT xid FROM orders")) {
            while (rs.next()) {
                xids.add(rs.getString(1));
            }
        }
        return xids;
    }

    /** Order rows per XID that has more than one (a sale applied twice would show here). */
    public static long duplicateOrderXids(DataSource raw) throws SQLException {
        return longQuery(raw, "SELECT count(*) FROM (SELECT xid FROM orders GROUP BY xid HAVING count(*) > 1) d");
    }

    /**
     * undo_log rows of branches still waiting for phase two ({@code log_status} 0, "normal"); 0 once every AT
     * branch is committed or rolled back.
     */
    public static long undoLogRows(DataSource raw) throws SQLException {
        return longQuery(raw, "SELECT count(*) FROM undo_log WHERE log_status = 0");
    }

    /**
     * undo_log rows with {@code log_status} 1 ("global finished"): Seata's RM writes one when it is told to roll
     * back a branch it has no undo log for (the branch was registered but its local transaction never committed),
     * so that a late local commit of that branch fails. They stay until the TC's undo-log deletion removes them.
     */
    public static long rollbackGuardRows(DataSource raw) throws SQLException {
        return longQuery(raw, "SELECT count(*) FROM undo_log WHERE log_status = 1");
    }

    /** {@code xid/branch_id/log_status/log_created} of up to {@code limit} undo_log rows, for failure messages. */
    public static java.util.List<String> undoLogSample(DataSource raw, int limit) throws SQLException {
        java.util.List<String> rows = new java.util.ArrayList<>();
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT xid, branch_id, log_status, log_created FROM undo_log"
                        + " WHERE log_status = 0 ORDER BY id LIMIT " + limit)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "/" + rs.getLong(2) + "/status " + rs.getInt(3) + "/" + rs.getTimestamp(4));
            }
        }
        return rows;
    }

    private static long longQuery(DataSource raw, String sql) throws SQLException {
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
