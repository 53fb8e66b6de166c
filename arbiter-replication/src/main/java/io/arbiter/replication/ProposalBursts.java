package io.arbiter.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * Proposals that one thread offers one after another, packed as if they had come together. A caller that answers
 * several waiting requests in a row — each answer's continuation proposing a command — runs the answers inside
 * {@link #during}: a replica group that packs proposals into log entries then starts packing once the burst is over,
 * instead of cutting an entry at the first proposal while the rest are still being offered (each entry costs a log
 * write and force on every replica, a round of messages and an apply wake-up; a command in an entry costs little).
 * Nothing waits longer than the burst itself takes.
 *
 * <p>Threading: per thread. Code inside a burst must not block waiting for a proposal it offered in the same burst
 * (nothing is packed before the burst ends).
 */
public final class ProposalBursts {
    private static final ThreadLocal<List<Runnable>> HELD = new ThreadLocal<>();

    private ProposalBursts() {}

    /** Runs {@code offers}; packing work they set off starts when it returns (or throws). Bursts may nest. */
    public static void during(Runnable offers) {
        if (HELD.get() != null) {
            offers.run(); // the outermost burst starts the packing
            return;
        }
        List<Runnable> held = new ArrayList<>();
        HELD.set(held);
        try {
            offers.run();
        } finally {
            HELD.remove();
            held.forEach(Runnable::run);
        }
    }

    /**
     * For replica group implementations: runs {@code start} (which starts packing proposals) now, or when this
     * thread's burst is over.
     */
    public static void afterBurst(Runnable start) {
        List<Runnable> held = HELD.get();
        if (held == null) {
            start.run();
        } else {
            held.add(start);
        }
    }
}
