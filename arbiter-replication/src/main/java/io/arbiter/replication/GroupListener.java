package io.arbiter.replication;

/**
 * Hears every change of a replica's {@link GroupView}: membership, leader, term, its own role and membership.
 * Register with {@link ReplicaGroup#addListener}.
 *
 * <p>Threading: called on a replication-owned notification thread, one call at a time, in increasing
 * {@link GroupView#version()} order. Must return quickly and never block (it shares the thread that completes
 * proposal futures); hand slow work to another executor.
 */
@FunctionalInterface
public interface GroupListener {

    /** The replica's view changed; {@code view} is the new one, complete (not a delta). */
    void onChange(GroupView view);
}
