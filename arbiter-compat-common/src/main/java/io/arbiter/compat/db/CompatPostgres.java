package io.arbiter.compat.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * An embedded PostgreSQL server for one test class. {@code max_prepared_transactions} is set (PostgreSQL's default
 * 0 refuses {@code PREPARE TRANSACTION}, which Seata's XA mode needs).
 */
public final class CompatPostgres implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private final EmbeddedPostgres pg;

    private CompatPostgres(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    public static CompatPostgres start() throws IOException {
        return new CompatPostgres(EmbeddedPostgres.builder()
                .setServerConfig("max_prepared_transactions", "20")
                .setServerConfig("max_connections", "100")
                .start());
    }

    /** Creates a database (a plain lower-case identifier) and returns a DataSource for it. */
    public DataSource createDatabase(String name) throws SQLException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return database(name);
    }

    /** A DataSource (a {@code PGSimpleDataSource}: no pool, one physical connection per getConnection). */
    public DataSource database(String name) {
        return pg.getDatabase("postgres", name);
    }

    public String jdbcUrl(String database) {
        return pg.getJdbcUrl("postgres", database);
    }

    public int port() {
        return pg.getPort();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
