/**
 * PostgreSQL for AT and XA scenarios: an embedded server (zonky) started with {@code max_prepared_transactions}
 * so that XA works, one database per purpose, and the tables Seata clients need ({@code undo_log} as Seata's
 * {@code script/client/at/db/postgresql.sql} defines it) next to a small {@code stock} table the scenarios change.
 *
 * <p>Threading: the helpers are stateless apart from the server handle; use plain JDBC from any thread.
 */
package io.arbiter.compat.db;
