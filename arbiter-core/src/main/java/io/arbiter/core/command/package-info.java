/**
 * Commands applied to the coordinator, and their versioned binary encoding for the replicated log. Besides the
 * Seata transaction commands there are the lock commands between fragments ({@code AcquireLocks},
 * {@code ReleaseLocks}) and the reads of the orphan sweep ({@code QueryAlive}, {@code ListForeignHolders}). Existing
 * encodings never change: a command gains a new kind instead (see {@link io.arbiter.core.command.CommandCodec}).
 *
 * <p>Threading: commands are immutable records; {@link io.arbiter.core.command.CommandCodec} is stateless.
 */
package io.arbiter.core.command;
