package io.arbiter.placement;

import java.util.List;

/**
 * One placement round over the cluster as just read: sample the load, move the running operators on, then plan and
 * start what the limits allow. The plan sees what ended in this very round: a load move that just ended starts its
 * cooldown before the scheduler looks (planned on the figures from before the tick, the leader it had just moved was
 * moved back a second later, each move a pause for the fragment's clients).
 *
 * <p>Threading: not thread-safe; one caller (the placement loop's thread, or a simulation).
 */
public final class PlacementRound {
    private final Scheduler scheduler;
    private final LoadWindow window;
    private final OperatorExecutor executor;
    private int started;

    public PlacementRound(PlacementSettings settings, Actuator actuator) {
        this.scheduler = new Scheduler(settings);
        this.window = new LoadWindow(settings);
        this.executor = new OperatorExecutor(actuator, settings, window);
    }

    public OperatorExecutor executor() {
        return executor;
    }

    /** How many operators the last {@link #run} started. */
    public int started() {
        return started;
    }

    /**
     * Runs the round on {@code read} (the cluster as read now, without load history).
     *
     * @return the state the plan was made on, with the operators in flight after it
     */
    public ClusterState run(ClusterState read, long now) {
        window.sample(read.fragments(), now);
        executor.tick(window.annotate(read), now);
        // annotated again: the tick records in the window the cooldowns of what ended in it
        ClusterState state = window.annotate(read).withInFlight(executor.inFlight());
        List<Operator> planned = scheduler.schedule(state, now);
        started = executor.offer(planned, state, now);
        return state.withInFlight(executor.inFlight());
    }
}
