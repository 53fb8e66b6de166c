/**
 * The pure coordinator state machine of one fragment ({@link io.arbiter.core.Coordinator}): global transactions,
 * branches, AT row locks, timers and phase-two retries, driven only by commands. Row locks live in the fragment
 * owning the row's slot: {@link io.arbiter.core.LockCommands} takes and releases rows for transactions of other
 * fragments and answers the orphan sweep's questions ({@code QueryAlive}: ids only grow, so an id at or below the
 * counter that is not live is over), and {@link io.arbiter.core.PhaseTwo} asks other fragments to release a
 * transaction's rows whenever its own go ({@code Effect.ReleaseRemoteLocks}). Operators act through commands too
 * ({@link io.arbiter.core.OperatorCommands}: stop/start retries of a transaction or branch, phase two now, delete a
 * transaction, branch or row lock; a stopped transaction keeps a flag in snapshots and gets no calls, timer or
 * deadline), and the console reads through commands ({@link io.arbiter.core.ConsoleQueries}); refused lock requests
 * are counted per row and table ({@link io.arbiter.core.ConflictStats}, statistics kept out of snapshots).
 *
 * <p>Threading: single-threaded. The replication layer calls {@code apply} one call at a time, in log order, each
 * call ordered after the previous one (happens-before), though not always on the same thread; nothing here reads a
 * clock, does I/O or starts a thread. Memory that lives long under load (deduplication answers, ended
 * transactions) is kept in primitive arrays ({@link io.arbiter.core.SlotIndex}) so that it costs the garbage
 * collector nothing per entry.
 */
package io.arbiter.core;
