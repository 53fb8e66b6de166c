/**
 * The compatibility scenarios, written once against {@link io.arbiter.compat.client.CompatClient}. Each is an
 * abstract JUnit 5 class; a version module extends it with a class named {@code *Test} that only says which client
 * to use. Each class starts its own Arbiter (and PostgreSQL where needed) and runs in its own JVM, because Seata
 * clients configure themselves once per JVM; or, for the AT, TCC and XA families, one test class per topology opens a
 * {@link io.arbiter.compat.scenario.SharedCoordinator} and runs the families against it as {@code @Nested} classes.
 *
 * <p>Threading: JUnit runs the methods of a class one at a time; some scenarios start their own worker threads
 * and join them before asserting.
 */
package io.arbiter.compat.scenario;
