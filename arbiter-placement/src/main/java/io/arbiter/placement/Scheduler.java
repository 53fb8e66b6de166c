package io.arbiter.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code schedule(state, now) → operators}: a pure function (TiKV PD's checkers, then its balancers). Safety first:
 * while any fragment needs a repair (replicas short, on a down, draining or departed node, or extra), only repairs
 * are planned; otherwise replica balance, leader balance, load balance and the fragment count, in that order.
 * Operators come ordered by priority; each takes its fragment, so no two touch the same one, and the effects of the
 * running ones ({@link ClusterState#inFlight}) are counted as if done. The executor starts as many as its limit
 * allows and the next round plans again from what then is.
 */
public final class Scheduler {
    private final PlacementSettings settings;

    public Scheduler(PlacementSettings settings) {
        this.settings = settings;
    }

    public PlacementSettings settings() {
        return settings;
    }

    public List<Operator> schedule(ClusterState state, long now) {
        Projection p = new Projection(state, settings, now);
        List<Operator> planned = new ArrayList<>();
        for (FragmentState f : state.fragments()) {
            ReplicaChecker.check(f, p).ifPresent(op -> {
                p.add(op, false);
                planned.add(op);
            });
        }
        boolean repairing = !planned.isEmpty()
                || state.inFlight().stream()
                        .anyMatch(op -> op.kind() == Operator.Kind.REPAIR || op.kind() == Operator.Kind.REMOVE_EXTRA);
        if (repairing) {
            return planned;
        }
        int budget = Math.max(1, settings.maxInFlight() - state.inFlight().size());
        planned.addAll(Balancer.replicas(p, settings, budget));
        planned.addAll(Balancer.leaders(p, settings, budget));
        if (planned.isEmpty()) {
            LoadBalancer.balance(p, settings).ifPresent(planned::add);
        }
        FragmentSizer.size(p, settings).ifPresent(planned::add);
        return planned;
    }
}
