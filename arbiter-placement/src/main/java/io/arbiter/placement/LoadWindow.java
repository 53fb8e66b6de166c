package io.arbiter.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load history the scheduler reads, from one sample per second: per fragment, in how many of the last
 * {@link #SAMPLES} it was overloaded; since when the whole cluster has been calm; when the fragment count last
 * changed; when each fragment's leader last moved for load. Kept by the meta leader's placement loop (a new meta
 * leader starts with an empty window: it waits a minute longer before growing, never shorter).
 *
 * <p>Threading: confined to one thread.
 */
public final class LoadWindow {
    /** Samples in the window (one per second: a minute, as TaaS's overload period). */
    public static final int SAMPLES = 60;

    private final PlacementSettings settings;
    private final Map<Integer, boolean[]> overloaded = new TreeMap<>();
    private final Map<Integer, Long> loadMoves = new TreeMap<>();
    private long samples;
    private long lastSampleMs = Long.MIN_VALUE;
    private long calmSinceMs = -1;
    private long lastResizeMs = -1;

    public LoadWindow(PlacementSettings settings) {
        this.settings = settings;
    }

    /** Takes one sample of the fragments' open transactions (ignored if less than a second after the last one). */
    public void sample(List<FragmentState> fragments, long now) {
        if (lastSampleMs != Long.MIN_VALUE && now - lastSampleMs < 1_000) {
            return;
        }
        lastSampleMs = now;
        int slot = (int) (samples++ % SAMPLES);
        boolean calm = true;
        List<Integer> seen = new ArrayList<>();
        for (FragmentState f : fragments) {
            seen.add(f.id());
            overloaded.computeIfAbsent(f.id(), id -> new boolean[SAMPLES])[slot] =
                    f.activeTransactions() > settings.overloadedAbove();
            calm &= f.activeTransactions() <= settings.calmBelow();
        }
        overloaded.keySet().retainAll(seen);
        calmSinceMs = calm ? (calmSinceMs < 0 ? now : calmSinceMs) : -1;
    }

    public int overloadedSamples(int fragment) {
        boolean[] window = overloaded.get(fragment);
        int count = 0;
        if (window != null) {
            for (boolean b : window) {
                count += b ? 1 : 0;
            }
        }
        return count;
    }

    /** The scheduler created or retired a fragment now; the overload counts start over (the load spreads anew). */
    public void resized(long now) {
        lastResizeMs = now;
        overloaded.clear();
    }

    /** A fragment's leader moved for load now. */
    public void loadMoved(int fragment, long now) {
        loadMoves.put(fragment, now);
    }

    /** The state with this window's figures filled in. */
    public ClusterState annotate(ClusterState state) {
        List<FragmentState> fragments = new ArrayList<>();
        for (FragmentState f : state.fragments()) {
            fragments.add(f.withLoad(f.commandsPerSecond(), f.activeTransactions(), overloadedSamples(f.id())));
        }
        return state.withFragments(fragments).withHistory(calmSinceMs, lastResizeMs, loadMoves);
    }
}
