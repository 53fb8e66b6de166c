/**
 * The {@link io.arbiter.replication.ReplicaGroup} implementation on Apache Ratis 3.3 (Netty transport): batching of
 * commands into log entries, the Ratis state machine adapter, asynchronous snapshots and the Ratis settings. No
 * Ratis type leaves this package.
 *
 * <p>Threading: the wrapped {@link io.arbiter.replication.ReplicatedStateMachine} is called only on the group's
 * apply thread ({@link io.arbiter.replication.ratis.ApplyLoop}); Ratis's updater thread decodes and queues. Each
 * class documents which thread runs which of its methods; state shared between threads is volatile, atomic or in
 * concurrent collections, never guarded by locks held across calls into Ratis or the state machine.
 */
package io.arbiter.replication.ratis;
