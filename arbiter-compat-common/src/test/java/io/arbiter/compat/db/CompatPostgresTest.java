package io.arbiter.compat.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class CompatPostgresTest {

    @Test
    void startsWithPreparedTransactionsAndTheSchemas() throws Exception {
        try (CompatPostgres pg = CompatPostgres.start()) {
            DataSource ds = pg.createDatabase("helper_db");
            Schemas.createUndoLog(ds);
            Schemas.createStock(ds);
            Schemas.putStock(ds, 1, 7);
            Schemas.putStock(ds, 1, 8);
            assertThat(Schemas.addStock(ds, 1, -3)).isEqualTo(1);
            assertThat(Schemas.stock(ds, 1)).isEqualTo(5);
            assertThat(Schemas.undoLogRows(ds, "x:1:1")).isZero();
            try (Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SHOW max_prepared_transactions")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isPositive();
                }
                // a prepared transaction really works (XA needs it)
                c.setAutoCommit(false);
                s.executeUpdate("UPDATE stock SET qty = 6 WHERE id = 1");
                s.execute("PREPARE TRANSACTION 'compat-helper'");
                c.setAutoCommit(true);
                assertThat(Schemas.preparedXaTransactions(ds)).isEqualTo(1);
                s.execute("ROLLBACK PREPARED 'compat-helper'");
            }
            assertThat(Schemas.preparedXaTransactions(ds)).isZero();
            assertThat(Schemas.stock(ds, 1)).isEqualTo(5);
            assertThat(pg.jdbcUrl("helper_db")).contains("helper_db");
        }
    }
}
