/**
 * Commands applied to the coordinator, and their versioned binary encoding for the replicated log. Besides the
 * Seata transaction commands there are the lock commands between fragments ({@code AcquireLocks},
 * {@code ReleaseLocks}) and the reads of the orphan sweep ({@code QueryAlive}, {@code ListForeignHolders}), the operators' commands
 * ({@code StopRetry}, {@code StartRetry}, {@code RetryNow}, {@code DeleteTransaction}, {@code DeleteBranch},
 * {@code DeleteLock}) and the console's reads ({@code ListTransactions}, {@code ListLocks}, {@code ListContention}).
 * Existing
 * encodings never change: a command gains a new kind instead (see {@link io.arbiter.core.command.CommandCodec}).
 *
 * <p>Threading: commands are immutable records; {@link io.arbiter.core.command.CommandCodec} is stateless.
 */
package io.arbiter.core.command;
