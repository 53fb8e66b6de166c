/**
 * What applying a command produces: the {@link io.arbiter.core.result.Result} for the proposer and
 * {@link io.arbiter.core.result.Effect}s for the leader's server to carry out.
 *
 * <p>Threading: immutable records.
 */
package io.arbiter.core.result;
