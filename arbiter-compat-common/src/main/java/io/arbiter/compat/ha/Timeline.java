package io.arbiter.compat.ha;

import java.util.ArrayList;
import java.util.List;

/**
 * What the test did to the cluster and when ({@link System#nanoTime()}), relative to the start of the run: kills,
 * elections seen from outside, restarts, partitions.
 *
 * <p>Threading: used by the test thread only.
 */
public final class Timeline {
    /** One line of the timeline. */
    public record Event(long atNs, String text) {}

    /**
     * One kill of a leader.
     *
     * @param node        the node killed (it led when killed)
     * @param killNs      when SIGKILL was sent
     * @param newLeader   the node that led next, or -1
     * @param electedNs   when a new leader was first seen in /health, or 0
     * @param restartNs   when the killed node was started again, or 0
     * @param servingNs   when the restarted node answered /health 200 again, or 0
     * @param servedNs    when every surviving node had completed a begin + commit asked of it directly, or 0
     * @param resumedNs   when the first transaction the application started after the kill committed, or 0
     */
    public record Kill(
            int node,
            long killNs,
            int newLeader,
            long electedNs,
            long restartNs,
            long servingNs,
            long servedNs,
            long resumedNs) {}

    private final long originNs = System.nanoTime();
    private final List<Event> events = new ArrayList<>();
    private final List<Kill> kills = new ArrayList<>();

    public long originNs() {
        return originNs;
    }

    public void event(String text) {
        long now = System.nanoTime();
        events.add(new Event(now, text));
        System.out.printf("[ha] %8.3f s  %s%n", seconds(now), text);
    }

    public void kill(Kill kill) {
        kills.add(kill);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Kill> kills() {
        return List.copyOf(kills);
    }

    /** Seconds since the run began. */
    public double seconds(long ns) {
        return (ns - originNs) / 1e9;
    }
}
