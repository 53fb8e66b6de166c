/**
 * A deterministic, seeded simulation of the server layer over many fragments ({@link
 * io.arbiter.server.sim.FragmentSimulationTest}): the real request router, transaction requests, fragment commands,
 * cross-fragment locks, lock sweeper, phase-two drivers and housekeeping, on simulated nodes whose fragments are
 * replicated by a small in-test Raft-like log ({@link io.arbiter.server.sim.SimLog}), talking over a simulated
 * network that drops, duplicates and delays messages, all driven by one virtual clock ({@link
 * io.arbiter.server.sim.SimLoop}).
 *
 * <p>Threading: everything runs on the test thread, one event at a time; nothing reads the wall clock.
 */
package io.arbiter.server.sim;
