/**
 * The coordinator as the server runs it: the replicated state machine adapter, the gateway from Seata requests to
 * commands, the phase-two driver that performs the leader's effects, waiters for synchronous outcomes, and the
 * leader's housekeeping (ticks, undo-log deletion).
 *
 * <p>Threading: the state machine adapter runs on the replication apply thread; everything else is thread-safe and
 * non-blocking, driven by futures.
 */
package io.arbiter.server.coordinator;
