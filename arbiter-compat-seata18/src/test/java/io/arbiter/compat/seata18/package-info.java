/**
 * The compatibility scenarios run with the io.seata:seata-all 1.8.0 client: {@link
 * io.arbiter.compat.seata18.Seata18Client} maps the scenarios' facade onto the client API (TMClient / RMClient,
 * GlobalTransaction, DataSourceProxy, DataSourceProxyXA, GlobalLockTemplate, and for TCC Seata's
 * ActionInterceptorHandler behind a JDK proxy, as Spring's TccActionInterceptor would call it), and one
 * {@code *Test} class per scenario group selects it.
 *
 * <p>Threading: Seata binds the XID per thread (RootContext); TCC phase-two calls arrive on the client's RM
 * threads and are recorded in the thread-safe {@code TccLedger}.
 */
package io.arbiter.compat.seata18;
