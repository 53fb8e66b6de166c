/**
 * What the console reads from a fragment: filters ({@link io.arbiter.core.view.TransactionFilter},
 * {@link io.arbiter.core.view.LockFilter}) carried by the read commands, the immutable views they answer
 * (transactions with branches, row locks, contended rows) and their binary form ({@link io.arbiter.core.view.ViewCodec})
 * so that answers travel between nodes. Pure data.
 *
 * <p>Threading: immutable records; the codec is stateless.
 */
package io.arbiter.core.view;
