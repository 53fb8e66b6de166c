package io.arbiter.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the scheduler wants done to one fragment, as ordered steps, and why.
 *
 * @param kind     which rule made it
 * @param fragment the fragment it changes ({@code -1} for a creation)
 * @param steps    the steps, in order
 * @param reason   for people: what the rule saw
 */
public record Operator(Kind kind, int fragment, List<Step> steps, String reason) {
    /** The rule that made an operator, in the order the scheduler applies them. */
    public enum Kind {
        /** a fragment below its replica target, or with a replica on a down, draining or departed node */
        REPAIR,
        /** a fragment above its replica target */
        REMOVE_EXTRA,
        /** replicas per node outside the tolerance */
        BALANCE_REPLICAS,
        /** leaders per node outside the tolerance */
        BALANCE_LEADERS,
        /** one node's leaders carry much more than its share of the commands */
        BALANCE_LOAD,
        /** fragments overloaded: a new one */
        GROW,
        /** the cluster calm for long: one fragment fewer */
        SHRINK
    }

    public Operator {
        Objects.requireNonNull(kind, "kind");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("an operator needs at least one step");
        }
    }

    /**
     * The moves of a replica from {@code from} to {@code to}: add the new one, hand over the leadership if
     * {@code from} leads (to {@code newLeader}), remove the old one. Adding first keeps the fragment at its replica
     * count or above throughout, and its quorum with it.
     */
    static List<Step> move(FragmentState f, String from, String to, String newLeader) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.AddReplica(f.id(), to));
        if (from.equals(f.leader())) {
            steps.add(new Step.TransferLeader(f.id(), newLeader));
        }
        steps.add(new Step.RemoveReplica(f.id(), from));
        return steps;
    }

    @Override
    public String toString() {
        return kind + " f" + fragment + " " + steps + " (" + reason + ")";
    }
}
