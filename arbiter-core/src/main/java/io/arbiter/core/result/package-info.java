/**
 * What applying a command produces: the {@link io.arbiter.core.result.Result} for the proposer and
 * {@link io.arbiter.core.result.Effect}s for the leader's server to carry out (phase-two calls, outcomes, and
 * releases of a transaction's row locks in other fragments). Results have a binary form for travel between nodes
 * ({@link io.arbiter.core.result.ResultCodec}; results also go into snapshots as deduplication answers).
 *
 * <p>Threading: immutable records.
 */
package io.arbiter.core.result;
