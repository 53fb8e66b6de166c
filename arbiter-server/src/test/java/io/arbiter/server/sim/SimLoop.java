package io.arbiter.server.sim;

import io.arbiter.server.routing.Delays;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The simulation's virtual clock and event queue: events run one at a time on the caller's thread, in time order
 * (ties in the order they were scheduled), so a run is a function of its seed. It is also the {@link Delays} the
 * server classes are given.
 */
final class SimLoop implements Delays {
    private record Event(long at, long seq, Runnable action) {}

    final Random random;
    private final PriorityQueue<Event> queue =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000;
    private long seq;

    SimLoop(long seed) {
        this.random = new Random(seed);
    }

    long now() {
        return now;
    }

    void at(long time, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, action));
    }

    void later(long delay, Runnable action) {
        at(now + delay, action);
    }

    /** Runs the next event; false when none is left or the next is after {@code until}. */
    boolean step(long until) {
        Event e = queue.peek();
        if (e == null || e.at > until) {
            now = Math.max(now, until);
            return false;
        }
        queue.poll();
        now = e.at;
        e.action.run();
        return true;
    }

    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    @Override
    public CompletableFuture<Void> after(long millis) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        later(millis, () -> f.complete(null));
        return f;
    }

    @Override
    public void execute(Runnable task) {
        later(0, task);
    }
}
