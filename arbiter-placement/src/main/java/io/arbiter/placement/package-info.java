/**
 * Automatic placement: where the replicas and leaders of the fragments live, and how many fragments there are.
 * {@link io.arbiter.placement.Scheduler#schedule} is a pure function from what the cluster reports
 * ({@link io.arbiter.placement.ClusterState}) to {@link io.arbiter.placement.Operator}s, built from TiKV PD's checkers
 * and balancers and TaaS's fragment growth: replica repair, replica and leader balance, drain, fragment creation under
 * load and retirement when calm. {@link io.arbiter.placement.OperatorExecutor} carries operators out one step at a
 * time through an {@link io.arbiter.placement.Actuator}, at most one per fragment and a bounded number in all, with a
 * timeout per step, and keeps the recent ones. {@link io.arbiter.placement.LoadWindow} turns per-second samples into
 * the load signals the scheduler reads.
 *
 * <p>Threading: nothing here reads a clock, does I/O or starts a thread; time is an argument. The scheduler is
 * stateless; an executor and a load window are confined to one thread (the meta leader's placement loop, or a
 * simulation).
 */
package io.arbiter.placement;
