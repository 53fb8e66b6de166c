package io.arbiter.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How many fragments there are (TaaS's growth, with the retirement TaaS never had). A fragment overloaded in at
 * least {@link PlacementSettings#overloadedSamplesToGrow} of the last 60 one-second samples (more open transactions
 * than {@link PlacementSettings#overloadedAbove}) makes a new, empty fragment, up to
 * {@link PlacementSettings#maxFragments}; a cluster calm (no fragment above {@link PlacementSettings#calmBelow}) for
 * {@link PlacementSettings#retireAfterCalmMs} retires its newest fragment, down to
 * {@link PlacementSettings#minFragments}. Between two changes at least {@link PlacementSettings#resizeCooldownMs}
 * passes, and one runs at a time: the hysteresis between the two thresholds, the sample counts and the cool-down
 * keep it from growing and shrinking in turn.
 */
final class FragmentSizer {
    private FragmentSizer() {}

    static Optional<Operator> size(Projection p, PlacementSettings settings) {
        ClusterState state = p.state();
        if (p.resizing() || state.lastResizeMs() >= 0 && p.now() - state.lastResizeMs() < settings.resizeCooldownMs()) {
            return Optional.empty();
        }
        List<FragmentState> accepting =
                state.fragments().stream().filter(FragmentState::acceptsBegins).toList();
        Optional<FragmentState> overloaded = accepting.stream()
                .filter(f -> f.overloadedSamples() >= settings.overloadedSamplesToGrow())
                .max(Comparator.comparingInt(FragmentState::overloadedSamples));
        if (overloaded.isPresent() && state.fragments().size() < settings.maxFragments()) {
            List<String> replicas = placeNew(p);
            if (replicas.isEmpty()) {
                return Optional.empty();
            }
            FragmentState hot = overloaded.get();
            return Optional.of(new Operator(
                    Operator.Kind.GROW,
                    -1,
                    List.of(new Step.CreateFragment(replicas)),
                    "fragment " + hot.id() + " overloaded in " + hot.overloadedSamples() + " of the last "
                            + LoadWindow.SAMPLES + " s (" + hot.activeTransactions() + " open transactions)"));
        }
        boolean calmLongEnough =
                state.calmSinceMs() >= 0 && p.now() - state.calmSinceMs() >= settings.retireAfterCalmMs();
        if (calmLongEnough && accepting.size() > settings.minFragments()) {
            FragmentState newest = accepting.get(accepting.size() - 1);
            return Optional.of(new Operator(
                    Operator.Kind.SHRINK,
                    newest.id(),
                    List.of(new Step.RetireFragment(newest.id())),
                    "calm for " + (p.now() - state.calmSinceMs()) / 1000 + " s with " + accepting.size()
                            + " fragments taking begins"));
        }
        return Optional.empty();
    }

    /** Replicas for a new fragment: the usable nodes with the fewest replicas; the one with fewest leaders first. */
    private static List<String> placeNew(Projection p) {
        List<NodeState> chosen = p.usable().stream()
                .sorted(Comparator.comparingInt((NodeState n) -> p.replicas(n.id()))
                        .thenComparing(NodeState::id))
                .limit(p.replicaTarget())
                .toList();
        if (chosen.size() < p.replicaTarget()) {
            return List.of();
        }
        return chosen.stream()
                .sorted(Comparator.comparingInt((NodeState n) -> p.leaders(n.id()))
                        .thenComparingDouble(NodeState::cpu)
                        .thenComparing(NodeState::id))
                .map(NodeState::id)
                .toList();
    }
}
