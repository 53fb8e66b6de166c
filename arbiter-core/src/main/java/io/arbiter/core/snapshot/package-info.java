/**
 * Snapshots of a fragment's state and their versioned binary form (version 4: with foreign lock holders and the
 * branches' remote fragments and rows; versions 2 and 3 are still read).
 *
 * <p>Threading: a {@link io.arbiter.core.snapshot.CoordinatorSnapshot} is taken on the apply thread and is then
 * private to whoever writes it; {@link io.arbiter.core.snapshot.SnapshotCodec} is stateless.
 */
package io.arbiter.core.snapshot;
