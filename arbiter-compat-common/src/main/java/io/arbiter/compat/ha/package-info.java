/**
 * High-availability test machinery: a cluster of Arbiter processes ({@link io.arbiter.compat.ha.ArbiterCluster})
 * on loopback ({@link io.arbiter.compat.ha.LoopbackNetwork}) or in network namespaces that can be cut apart
 * ({@link io.arbiter.compat.ha.NamespaceNetwork}), an application load through the real Seata client that records
 * every transaction ({@link io.arbiter.compat.ha.Workload}), a raw TM to probe one node
 * ({@link io.arbiter.compat.ha.RawTm}), the end-of-run checks ({@link io.arbiter.compat.ha.Verification},
 * {@link io.arbiter.compat.ha.Ledgers}) and the report ({@link io.arbiter.compat.ha.HaReport}). The scenarios using
 * them are {@code scenario.FailoverScenario}, {@code scenario.PartitionScenario} and the soak
 * ({@code scenario.SoakScenario}, with {@code io.arbiter.compat.soak}); docs/RELIABILITY.md explains what they
 * assert.
 *
 * <p>Threading: the cluster, network, timeline and report are driven by the test thread; the workload and the
 * probes run their own threads and hand back immutable records.
 */
package io.arbiter.compat.ha;
