package io.arbiter.compat.soak;

import java.util.List;
import java.util.function.Predicate;

/**
 * The longest time without a commit: between two consecutive commits (by when they returned), or from the start of
 * the load to the first one, or from the last one to the end of the load. For the whole application (every
 * worker), one mode, or one worker.
 *
 * @param startNs when the pause began (the previous commit returned, or the load started)
 * @param endNs   when it ended (the next commit returned, or the load stopped)
 */
public record Pause(long startNs, long endNs) {
    public long lengthNs() {
        return endNs - startNs;
    }

    /** The longest pause of the transactions {@code which} picks, within the load {@code [loadStartNs, loadEndNs]}. */
    public static Pause longest(List<SoakTx> records, Predicate<SoakTx> which, long loadStartNs, long loadEndNs) {
        long[] ends = records.stream()
                .filter(which)
                .filter(r -> r.ending() == SoakTx.Ending.COMMITTED)
                .mapToLong(SoakTx::endNs)
                .sorted()
                .toArray();
        Pause worst = new Pause(loadStartNs, ends.length == 0 ? loadEndNs : Math.max(loadStartNs, ends[0]));
        for (int i = 1; i <= ends.length; i++) {
            long end = i < ends.length ? ends[i] : Math.max(ends[i - 1], loadEndNs);
            if (end - ends[i - 1] > worst.lengthNs()) {
                worst = new Pause(ends[i - 1], end);
            }
        }
        return worst;
    }

    /** The longest pause of any single worker in {@code workers}. */
    public static Pause longestOfAnyWorker(List<SoakTx> records, int workers, long loadStartNs, long loadEndNs) {
        Pause worst = new Pause(loadStartNs, loadStartNs);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Pause p = longest(records, r -> r.worker() == worker, loadStartNs, loadEndNs);
            if (p.lengthNs() > worst.lengthNs()) {
                worst = p;
            }
        }
        return worst;
    }
}
