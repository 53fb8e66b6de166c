/**
 * The replication SPI: a replicated group of replicas ({@link io.arbiter.replication.ReplicaGroup}) that drives an
 * application state machine ({@link io.arbiter.replication.ReplicatedStateMachine}) with opaque commands, plus its
 * configuration and error types. Nothing here names a Raft library; implementations live in sub-packages
 * ({@code ratis} for the real one, {@code memory} for tests of other modules).
 *
 * <p>Threading rule: every call into a {@link io.arbiter.replication.ReplicatedStateMachine} ({@code apply},
 * {@code snapshot}, {@code restore}, {@code onRoleChange}) is made from one apply thread owned by the group, in log
 * order, so a state machine needs no locks. A {@link io.arbiter.replication.SnapshotWriter} runs on another thread
 * and must only read the view captured for it. {@link io.arbiter.replication.ReplicaGroup#propose} may be called
 * from any thread and never blocks; its futures complete on a replication-owned completion thread, so callers must
 * not block in dependent stages (use the {@code *Async} variants for slow work).
 */
package io.arbiter.replication;
