package io.arbiter.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AT resources (data sources) that registered branches in this fragment, each with the time of its latest
 * registration: the resource managers the coordinator asks to delete old undo logs. At most {@link #CAPACITY}; when
 * full, the resource registered longest ago is forgotten.
 *
 * <p>Threading: owned by the coordinator's apply thread, like the rest of the state.
 */
final class AtResources {
    /** How many resources are remembered. */
    static final int CAPACITY = 4096;

    /** Access order: the least recently registered resource comes first. */
    private final LinkedHashMap<String, Long> lastRegistered = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A branch of {@code resourceId} was registered at {@code now}. */
    void registered(String resourceId, long now) {
        Long before = lastRegistered.get(resourceId);
        lastRegistered.put(resourceId, before == null ? now : Math.max(before, now));
    }

    /** A copy, least recently registered first. */
    Map<String, Long> freeze() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(lastRegistered));
    }

    int size() {
        return lastRegistered.size();
    }
}
