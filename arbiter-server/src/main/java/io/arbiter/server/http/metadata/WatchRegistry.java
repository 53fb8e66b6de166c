package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterView;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parked watchers of this node's cluster view. However many clients watch, it holds at most one
 * {@link ClusterView#changedSince} subscription, renewed after each change while watchers remain; a change wakes
 * every watcher that parked at an older {@link ClusterView#version()}.
 *
 * <p>Threading: thread-safe; wake-ups run on the thread that completes the view's future and must not block.
 */
final class WatchRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(WatchRegistry.class);

    /** One parked long poll. */
    static final class Watcher {
        private final long knownVersion;
        private final Runnable onChange;
        private final AtomicBoolean fired = new AtomicBoolean();

        private Watcher(long knownVersion, Runnable onChange) {
            this.knownVersion = knownVersion;
            this.onChange = onChange;
        }

        private void fire() {
            if (fired.compareAndSet(false, true)) {
                onChange.run();
            }
        }
    }

    private final ClusterView view;
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private boolean subscribed; // guarded by this

    WatchRegistry(ClusterView view) {
        this.view = view;
    }

    /** Runs {@code onChange} once the view's version exceeds {@code knownVersion} (possibly at once), unless cancelled first. */
    Watcher park(long knownVersion, Runnable onChange) {
        Watcher w = new Watcher(knownVersion, onChange);
        watchers.add(w);
        subscribe();
        if (view.version() > knownVersion) { // changed between the caller's check and now
            watchers.remove(w);
            w.fire();
        }
        return w;
    }

    void cancel(Watcher w) {
        watchers.remove(w);
    }

    int parked() {
        return watchers.size();
    }

    private void subscribe() {
        long version;
        synchronized (this) {
            if (subscribed) {
                return;
            }
            subscribed = true;
            version = view.version();
        }
        view.changedSince(version).whenComplete((ignored, error) -> changed(error));
    }

    private void changed(Throwable error) {
        synchronized (this) {
            subscribed = false;
        }
        if (error != null) {
            // the watchers stay parked until they time out; the next park subscribes again
            LOG.warn("cluster change notification failed; parked watches will time out", error);
            return;
        }
        long version = view.version();
        for (Watcher w : watchers) {
            if (w.knownVersion < version && watchers.remove(w)) {
                w.fire();
            }
        }
        if (!watchers.isEmpty()) {
            subscribe();
        }
    }
}
