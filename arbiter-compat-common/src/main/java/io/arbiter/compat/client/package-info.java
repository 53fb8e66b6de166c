/**
 * The seam between the scenarios and a Seata client line: {@link io.arbiter.compat.client.CompatClient} is what a
 * version module implements on top of its own {@code seata-all} (io.seata.* or org.apache.seata.*), with values
 * that cross the seam as plain strings (enum names such as {@code "Committed"}). Also here: the client settings
 * both lines read from system properties, and {@link io.arbiter.compat.client.TccLedger}, where the version
 * modules' TCC actions record every try / commit / rollback call.
 *
 * <p>Threading: {@code TccLedger} is thread-safe (phase-two calls arrive on Seata's RM threads); a
 * {@code CompatClient} is used like the Seata API under it (transaction context is per thread).
 */
package io.arbiter.compat.client;
