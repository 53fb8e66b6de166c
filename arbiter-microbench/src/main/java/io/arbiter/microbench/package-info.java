/**
 * JMH benchmarks of the hot paths that do not touch the network: the seata codec per message type and the pure
 * core's apply path. Not part of the test run; see docs/PERFORMANCE.md for how to run them.
 *
 * <p>Threading: each benchmark state is per thread.
 */
package io.arbiter.microbench;
