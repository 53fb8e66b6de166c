package io.arbiter.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A counter of changes with futures that complete once it passes a known value: the version behind a
 * {@link ClusterView} and its long polls.
 *
 * <p>Threading: thread-safe; waiting futures complete on the thread that bumps, outside the lock.
 */
public final class ChangeVersion {
    private record Waiter(long known, CompletableFuture<Void> future) {}

    private long version;
    private final List<Waiter> waiters = new ArrayList<>();

    public synchronized long get() {
        return version;
    }

    /** Counts one change and wakes everyone who waited for the version it reaches. */
    public void bump() {
        List<Waiter> wake = new ArrayList<>();
        synchronized (this) {
            version++;
            waiters.removeIf(w -> w.known() < version && wake.add(w));
        }
        wake.forEach(w -> w.future().complete(null));
    }

    /** Completes once the version is greater than {@code known} (at once if it already is). */
    public CompletableFuture<Void> after(long known) {
        synchronized (this) {
            if (version <= known) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                waiters.add(new Waiter(known, f));
                return f;
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
