/**
 * An in-memory, single-replica {@link io.arbiter.replication.ReplicaGroup} for unit tests of other modules: no
 * disk, no network, no batching, the same threading contract as the real one. Membership changes and leadership
 * transfers are simulated (adopted at once) so that code reporting them can be tested.
 *
 * <p>Threading: the state machine is called on one apply thread per group; proposal futures complete on a separate
 * completion thread, as in the Ratis implementation.
 */
package io.arbiter.replication.memory;
