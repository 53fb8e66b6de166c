/**
 * Commands applied to the coordinator, and their versioned binary encoding for the replicated log.
 *
 * <p>Threading: commands are immutable records; {@link io.arbiter.core.command.CommandCodec} is stateless.
 */
package io.arbiter.core.command;
