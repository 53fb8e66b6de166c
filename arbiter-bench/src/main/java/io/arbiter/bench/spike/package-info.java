/**
 * The snapshot-spike measurement ({@code bench snapshot-spike}, driven by
 * {@code io.arbiter.bench.orchestrate.SnapshotSpikeCommand}): open many global transactions and leave them open
 * ({@link io.arbiter.bench.spike.OpenTransactions}), run the empty workload with latencies recorded into one
 * HdrHistogram per wall-clock window ({@link io.arbiter.bench.spike.WindowedLoad}), find when the node wrote its
 * snapshots ({@link io.arbiter.bench.spike.SnapshotWatcher}, from its log lines or its snapshot files), and
 * compare the p99 of the windows that overlap a snapshot with the p99 of those that do not
 * ({@link io.arbiter.bench.spike.SpikeAnalysis}, pure and unit-tested).
 *
 * <p>Threading: the load and opener threads record into per-window {@code ConcurrentHistogram}s and atomic
 * counters; the watcher runs on its own daemon thread and publishes what it found through a synchronized list;
 * {@link io.arbiter.bench.spike.SpikeAnalysis} runs on the calling thread after every other thread has stopped and
 * keeps no state.
 */
package io.arbiter.bench.spike;
