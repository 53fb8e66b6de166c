package io.arbiter.server.fragment;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Which of the fragments this node leads takes the next begin.
 *
 * <p>When begins arrive slowly they alternate over the fragments, so every fragment takes its share. Under load
 * ({@link #BUSY_BEGINS} or more begins within {@link #WINDOW_MS}) they fill one fragment at a time instead: every
 * Raft entry has a fixed cost (a log write and force on each replica, a round of messages, an apply wake-up) about a
 * hundred times that of one more command in it, so the same commands spread over several groups of one node cost
 * several times the CPU they cost in one (docs/PERFORMANCE.md, "Fragments"). The fragment in use hands over to the
 * next one after {@link #TURN_MS}, so every led fragment still takes begins over time, and at once when it has
 * {@link #SPILL_IN_FLIGHT} or more commands in flight (it is full; the next one takes the excess).
 *
 * <p>Threading: thread-safe (one short critical section per begin). Time comes from the caller.
 */
final class BeginPlacement {
    /** Length of the window over which the begin rate is judged. */
    static final long WINDOW_MS = 100;
    /** Begins within one window from which the node counts as loaded (200 begins/s). */
    static final int BUSY_BEGINS = 20;
    /** How long one fragment takes the begins of a loaded node before the next one takes over. */
    static final long TURN_MS = 1_000;
    /** Commands in flight in the fragment in use at which the next led fragment takes the begins. */
    static final int SPILL_IN_FLIGHT = 256;

    private long windowStart = Long.MIN_VALUE;
    private int beginsInWindow;
    private boolean busyBefore;
    private int alternate;
    private int current = -1;
    private long currentSince;

    /**
     * @param led      ids of the fragments led here that take begins, ascending, at least one
     * @param inFlight commands in flight in a fragment, by id
     * @param nowMs    the time now, in milliseconds
     * @return the id of the fragment that takes this begin
     */
    synchronized int choose(List<Integer> led, IntUnaryOperator inFlight, long nowMs) {
        if (windowStart == Long.MIN_VALUE || nowMs - windowStart >= WINDOW_MS) {
            busyBefore = windowStart != Long.MIN_VALUE
                    && nowMs - windowStart < 2 * WINDOW_MS
                    && beginsInWindow >= BUSY_BEGINS;
            windowStart = nowMs;
            beginsInWindow = 0;
        }
        beginsInWindow++;
        if (!busyBefore && beginsInWindow < BUSY_BEGINS) {
            return led.get(Math.floorMod(alternate++, led.size()));
        }
        int at = led.indexOf(current);
        if (at < 0 || nowMs - currentSince >= TURN_MS || inFlight.applyAsInt(current) >= SPILL_IN_FLIGHT) {
            current = next(led, at, inFlight);
            currentSince = nowMs;
        }
        return current;
    }

    /** The first fragment after position {@code at} (in turn) with room, else the least loaded one. */
    private static int next(List<Integer> led, int at, IntUnaryOperator inFlight) {
        int least = -1;
        int leastLoad = Integer.MAX_VALUE;
        for (int i = 1; i <= led.size(); i++) {
            int id = led.get(Math.floorMod(at + i, led.size()));
            int load = inFlight.applyAsInt(id);
            if (load < SPILL_IN_FLIGHT) {
                return id;
            }
            if (load < leastLoad) {
                least = id;
                leastLoad = load;
            }
        }
        return least;
    }
}
