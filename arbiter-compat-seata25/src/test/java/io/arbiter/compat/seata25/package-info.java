/**
 * The compatibility scenarios run with the org.apache.seata:seata-all 2.5.0 client: {@link
 * io.arbiter.compat.seata25.Seata25Client} maps the scenarios' facade onto the client API (TMClient / RMClient,
 * GlobalTransaction, DataSourceProxy, DataSourceProxyXA, GlobalLockTemplate, ProxyUtil for TCC), and one
 * {@code *Test} class per scenario group selects it.
 *
 * <p>Threading: Seata binds the XID per thread (RootContext); TCC phase-two calls arrive on the client's RM
 * threads and are recorded in the thread-safe {@code TccLedger}.
 */
package io.arbiter.compat.seata25;
