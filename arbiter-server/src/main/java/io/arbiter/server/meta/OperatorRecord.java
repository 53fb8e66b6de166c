package io.arbiter.server.meta;

import java.util.List;
import java.util.Objects;

/**
 * One placement operator that ended, as the meta group keeps it (so that a new meta leader still shows what its
 * predecessors did).
 *
 * @param by        the node that ran it (the meta leader then)
 * @param id        its number on that node (numbers start over with each leadership, so {@code by} and
 *                  {@code startedMs} tell runs apart)
 * @param kind      what it did (REPAIR, BALANCE, DRAIN, GROW, SHRINK, ...)
 * @param fragment  the fragment it worked on
 * @param steps     its steps, as text
 * @param reason    why the scheduler made it
 * @param outcome   SUCCEEDED, FAILED, TIMED_OUT or CANCELLED
 * @param stepsDone how many steps ended well
 * @param detail    why it failed or was cancelled; what a creation made
 */
public record OperatorRecord(
        String by,
        long id,
        String kind,
        int fragment,
        List<String> steps,
        String reason,
        String outcome,
        int stepsDone,
        long startedMs,
        long endedMs,
        String detail) {
    public OperatorRecord {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(kind, "kind");
        steps = List.copyOf(steps);
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
    }

    /** Whether {@code other} is the same run (recorded twice when a proposal was retried). */
    public boolean sameRun(OperatorRecord other) {
        return by.equals(other.by) && id == other.id && startedMs == other.startedMs;
    }
}
