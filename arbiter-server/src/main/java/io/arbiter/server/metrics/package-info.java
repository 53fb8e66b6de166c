/**
 * Metrics: {@link io.arbiter.server.metrics.NodeMetrics} binds Micrometer meters (Prometheus registry) to the plain
 * running totals the rest of the server keeps ({@code RoutingStats}, {@code PhaseTwoStats}, {@code ClientConnections},
 * each fragment's {@link io.arbiter.server.metrics.FragmentMeters}, a
 * {@link io.arbiter.server.coordinator.CoordinatorObserver}) and writes Seata's {@code seata_transaction} series by
 * hand with Seata's exact names and labels; {@link io.arbiter.server.metrics.MetricsEndpoint} serves them on
 * {@code /metrics}. Transaction counts come from the core's results and effects on the fragment's leader; the core and
 * replication modules know nothing of Micrometer. Names and meanings: docs/METRICS.md.
 *
 * <p>Threading rule: the request and apply paths only add to striped adders or atomics (no locks, no allocation
 * beyond a label record per begin and end); meters are registered once per fragment; a scrape reads the totals on
 * the HTTP event loop and starts Seata's summary and timer windows anew.
 */
package io.arbiter.server.metrics;
