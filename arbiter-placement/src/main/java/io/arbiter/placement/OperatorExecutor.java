package io.arbiter.placement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Carries out operators one step at a time through an {@link Actuator}: at most one operator per fragment (and one
 * creation or retirement) at a time, at most {@link PlacementSettings#maxInFlight} in all, each step within
 * {@link PlacementSettings#stepTimeoutMs}. A step whose effect the state already shows is skipped (steps are
 * idempotent); a failed or timed-out step ends its operator, and the next round plans again from what then is.
 * Ended operators are kept (the last {@link #KEPT}) with their outcome, for people to see.
 *
 * <p>Threading: confined to one thread (the placement loop); the actuator reports on it too.
 */
public final class OperatorExecutor {
    /** How many ended operators are kept. */
    public static final int KEPT = 100;

    /** How an operator ended (or that it has not). */
    public enum Outcome {
        RUNNING,
        SUCCEEDED,
        FAILED,
        TIMED_OUT,
        CANCELLED
    }

    /**
     * One operator's run.
     *
     * @param stepsDone how many of its steps ended well (or were found done)
     * @param detail    why it failed or was cancelled; what a creation made
     */
    public record Run(
            long id, Operator operator, Outcome outcome, long startedMs, long endedMs, int stepsDone, String detail) {}

    private final Actuator actuator;
    private final PlacementSettings settings;
    private final LoadWindow window;
    private final Map<Long, Running> running = new TreeMap<>();
    private final Deque<Run> ended = new ArrayDeque<>();
    private long nextId = 1;

    private static final class Running {
        final long id;
        final Operator operator;
        final long startedMs;
        int step;
        long stepStartedMs;
        Boolean result;
        String detail = "";

        Running(long id, Operator operator, long startedMs) {
            this.id = id;
            this.operator = operator;
            this.startedMs = startedMs;
        }
    }

    /** @param window told when fragments are created or retired and leaders moved for load (may be null) */
    public OperatorExecutor(Actuator actuator, PlacementSettings settings, LoadWindow window) {
        this.actuator = actuator;
        this.settings = settings;
        this.window = window;
    }

    /** The operators started and not ended, in start order. */
    public List<Operator> inFlight() {
        return running.values().stream().map(r -> r.operator).toList();
    }

    /** The running operators and the last ended ones, newest first. */
    public List<Run> runs() {
        List<Run> all = new ArrayList<>();
        List<Running> live = new ArrayList<>(running.values());
        for (int i = live.size() - 1; i >= 0; i--) {
            Running r = live.get(i);
            all.add(new Run(r.id, r.operator, Outcome.RUNNING, r.startedMs, -1, r.step, r.detail));
        }
        all.addAll(ended);
        return all;
    }

    /**
     * Starts those of {@code operators} (in their order) that the limits allow; returns how many started.
     */
    public int offer(List<Operator> operators, ClusterState state, long now) {
        int started = 0;
        for (Operator op : operators) {
            if (running.size() >= settings.maxInFlight()) {
                break;
            }
            if (conflicts(op)) {
                continue;
            }
            Running r = new Running(nextId++, op, now);
            running.put(r.id, r);
            started++;
            startFrom(r, 0, state, now);
        }
        return started;
    }

    private boolean conflicts(Operator op) {
        for (Running r : running.values()) {
            boolean bothResize = op.fragment() < 0 && r.operator.fragment() < 0;
            if (bothResize || op.fragment() >= 0 && r.operator.fragment() == op.fragment()) {
                return true;
            }
        }
        return false;
    }

    /** The actuator's report: the current step of operator {@code id} ended ({@code ok}), with a detail. */
    public void stepDone(long id, boolean ok, String detail) {
        Running r = running.get(id);
        if (r != null && r.result == null) {
            r.result = ok;
            if (detail != null && !detail.isEmpty()) {
                r.detail = detail;
            }
        }
    }

    /** Moves every running operator on: next step, end, or time-out. */
    public void tick(ClusterState state, long now) {
        for (Running r : new ArrayList<>(running.values())) {
            if (Boolean.FALSE.equals(r.result)) {
                end(r, Outcome.FAILED, now);
            } else if (Boolean.TRUE.equals(r.result)) {
                startFrom(r, r.step + 1, state, now);
            } else if (now - r.stepStartedMs >= settings.stepTimeoutMs()) {
                r.detail = "step " + r.operator.steps().get(r.step) + " took longer than " + settings.stepTimeoutMs()
                        + " ms";
                end(r, Outcome.TIMED_OUT, now);
            }
        }
    }

    /** Gives up on everything running (this node stopped leading the meta group). */
    public void cancelAll(String why, long now) {
        for (Running r : new ArrayList<>(running.values())) {
            r.detail = why;
            end(r, Outcome.CANCELLED, now);
        }
    }

    private void startFrom(Running r, int index, ClusterState state, long now) {
        int next = index;
        while (next < r.operator.steps().size() && r.operator.steps().get(next).isDone(state)) {
            next++;
        }
        if (next >= r.operator.steps().size()) {
            r.step = next;
            end(r, Outcome.SUCCEEDED, now);
            return;
        }
        r.step = next;
        r.stepStartedMs = now;
        r.result = null;
        actuator.start(r.id, r.operator.steps().get(next));
    }

    private void end(Running r, Outcome outcome, long now) {
        running.remove(r.id);
        int done = outcome == Outcome.SUCCEEDED ? r.operator.steps().size() : r.step;
        ended.addFirst(new Run(r.id, r.operator, outcome, r.startedMs, now, done, r.detail));
        while (ended.size() > KEPT) {
            ended.removeLast();
        }
        if (window != null && outcome == Outcome.SUCCEEDED) {
            switch (r.operator.kind()) {
                case GROW, SHRINK -> window.resized(now);
                case BALANCE_LOAD -> window.loadMoved(r.operator.fragment(), now);
                default -> {}
            }
        }
    }
}
