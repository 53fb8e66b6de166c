/**
 * The pure coordinator state machine of one fragment ({@link io.arbiter.core.Coordinator}): global transactions,
 * branches, AT row locks, timers and phase-two retries, driven only by commands.
 *
 * <p>Threading: single-threaded. The replication layer calls {@code apply} from one apply thread in log order;
 * nothing here reads a clock, does I/O or starts a thread.
 */
package io.arbiter.core;
