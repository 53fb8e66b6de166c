package io.arbiter.placement;

/**
 * Carries out one step for the {@link OperatorExecutor}: on the meta leader, through the cluster's operator
 * primitives; in a simulation, on the simulated cluster. It must not block; it reports the end of the step with
 * {@link OperatorExecutor#stepDone} (on the executor's thread), at most once per call.
 */
public interface Actuator {
    /** Starts {@code step} of operator {@code operatorId}. */
    void start(long operatorId, Step step);
}
