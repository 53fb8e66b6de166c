/**
 * The long soak ({@code bin/chaos --soak MINUTES}, docs/RELIABILITY.md "Soak"): a mixed load from the real Seata
 * client — AT and XA sales in PostgreSQL and TCC transactions, some of them rolled back on purpose
 * ({@link io.arbiter.compat.soak.MixedLoad}) — on three node processes with several fragments and automatic
 * placement, while {@link io.arbiter.compat.soak.ChaosEvents} injects seeded random faults one at a time: kill -9
 * and restart of a node, a fragment's leader transfer, a replica removed and added back, a node drained and undrained and, where
 * network namespaces work, a partition of one node. The cluster operations go through the nodes' HTTP API with a
 * console login ({@link io.arbiter.compat.soak.ClusterOps}); after each event the cluster must settle again
 * ({@link io.arbiter.compat.soak.PlacementView}). At the end {@link io.arbiter.compat.soak.SoakChecks} adds the XA,
 * rollback and console checks to those of {@code ha.Verification}, and {@link io.arbiter.compat.soak.SoakReport}
 * writes the figures. The scenario driving it is {@code scenario.SoakScenario}.
 *
 * <p>Threading: the events, checks and report run on the test thread; the load runs its own worker threads and
 * hands back immutable {@link io.arbiter.compat.soak.SoakTx} records.
 */
package io.arbiter.compat.soak;
