package io.arbiter.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** When each transaction next needs attention (timeout or phase-two retry), ordered by time. One entry per id; ties are broken by id so that the order never depends on history (replicas restored from a snapshot must behave the same). */
final class DueIndex {
    private final TreeMap<Long, Set<Long>> byTime = new TreeMap<>();
    private final Map<Long, Long> timeOf = new HashMap<>();

    void schedule(long id, long at) {
        cancel(id);
        byTime.computeIfAbsent(at, t -> new TreeSet<>()).add(id);
        timeOf.put(id, at);
    }

    void cancel(long id) {
        Long at = timeOf.remove(id);
        if (at != null) {
            Set<Long> ids = byTime.get(at);
            ids.remove(id);
            if (ids.isEmpty()) {
                byTime.remove(at);
            }
        }
    }

    /** Removes and returns the ids due at or before {@code now}, earliest first. */
    List<Long> pollDue(long now) {
        List<Long> due = new ArrayList<>();
        while (!byTime.isEmpty() && byTime.firstKey() <= now) {
            for (Long id : byTime.pollFirstEntry().getValue()) {
                timeOf.remove(id);
                due.add(id);
            }
        }
        return due;
    }

    /** The earliest due time, or {@link Long#MAX_VALUE} if nothing is scheduled. */
    long nextDue() {
        return byTime.isEmpty() ? Long.MAX_VALUE : byTime.firstKey();
    }
}
