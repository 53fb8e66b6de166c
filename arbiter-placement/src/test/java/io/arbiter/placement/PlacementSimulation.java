package io.arbiter.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs the scheduler and its executor over a {@link SimCluster}, one tick a second: events of a scenario, then
 * until the placement settles, then a steady period in which nothing may be scheduled. Reports what it saw.
 *
 * <p>Threading: single-threaded.
 */
final class PlacementSimulation {
    /** Ticks of unchanged input after settling in which no operator may start (no flapping). */
    static final int STEADY_TICKS = 120;

    /** What one run did. */
    record Outcome(
            long seed,
            String scenario,
            int settledAfterTicks,
            int operators,
            Map<Operator.Kind, Integer> byKind,
            int replicaMoves,
            int leaderMoves,
            int operatorsWhenSteady,
            List<String> violations,
            List<String> unsettled,
            OperatorExecutor executor) {
        @Override
        public String toString() {
            return String.format(
                    "%s seed=%d: settled after %d ticks, %d operators %s, %d replica and %d leader "
                            + "changes, %d operators when steady, violations %s, unsettled %s",
                    scenario,
                    seed,
                    settledAfterTicks,
                    operators,
                    byKind,
                    replicaMoves,
                    leaderMoves,
                    operatorsWhenSteady,
                    violations,
                    unsettled.size() > 5 ? unsettled.subList(0, 5) + "..." : unsettled);
        }
    }

    final SimCluster cluster;
    final PlacementSettings settings;
    final PlacementRound round;
    final OperatorExecutor executor;
    private final long seed;
    private final Map<Long, Consumer<SimCluster>> events = new TreeMap<>();
    private final Map<Operator.Kind, Integer> byKind = new TreeMap<>();
    private int operators;

    PlacementSimulation(long seed, int nodes, int fragments, PlacementSettings settings) {
        this.seed = seed;
        this.cluster = new SimCluster(seed, nodes, fragments, settings.replicas());
        this.settings = settings;
        this.round = new PlacementRound(settings, cluster);
        this.executor = round.executor();
        cluster.attach(executor);
    }

    /** Something that happens to the cluster at second {@code tick}. */
    PlacementSimulation at(long tick, Consumer<SimCluster> event) {
        events.merge(tick, event, Consumer::andThen);
        return this;
    }

    long now() {
        return cluster.tick * 1000;
    }

    /** One second: events, the cluster moves, the executor moves, the scheduler plans. Returns operators started. */
    int step() {
        cluster.advance();
        Consumer<SimCluster> event = events.remove(cluster.tick);
        if (event != null) {
            event.accept(cluster);
        }
        List<Operator> before = executor.inFlight();
        round.run(cluster.state(), now());
        int started = round.started();
        executor.inFlight().stream()
                .filter(op -> !before.contains(op))
                .forEach(op -> byKind.merge(op.kind(), 1, Integer::sum));
        operators += started;
        return started;
    }

    /**
     * Runs the events, then until settled (no operator running or started, every check met, the load window
     * steady) or {@code maxTicks}; then {@link #STEADY_TICKS} more, counting operators started.
     */
    Outcome run(String scenario, int maxTicks) {
        long lastEvent =
                events.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        int settled = -1;
        int quiet = 0;
        while (cluster.tick < maxTicks) {
            int started = step();
            ClusterState state = cluster.state();
            PlacementSettings s = settings;
            boolean waitingForTimers = state.nodes().stream()
                    .anyMatch(n -> !n.draining()
                            && (n.reachable()
                                    ? !n.usable(now(), s.stableAfterMs())
                                    : !n.down(now(), s.nodeDownAfterMs())));
            boolean waitingToRetire = cluster.totalLoad == 0
                    && state.fragments().stream()
                                    .filter(FragmentState::acceptsBegins)
                                    .count()
                            > s.minFragments();
            boolean calm = started == 0
                    && executor.inFlight().isEmpty()
                    && !waitingForTimers
                    && !waitingToRetire
                    && PlacementChecks.problems(state, settings, now()).isEmpty();
            quiet = calm ? quiet + 1 : 0;
            if (cluster.tick > lastEvent && quiet >= 5) {
                settled = (int) Math.max(0, cluster.tick - 4 - lastEvent);
                break;
            }
        }
        int whenSteady = 0;
        if (settled >= 0) {
            for (int i = 0; i < STEADY_TICKS; i++) {
                whenSteady += step();
            }
        }
        return new Outcome(
                seed,
                scenario,
                settled,
                operators,
                Map.copyOf(byKind),
                cluster.replicaMoves,
                cluster.leaderMoves,
                whenSteady,
                List.copyOf(cluster.violations),
                PlacementChecks.problems(cluster.state(), settings, now()),
                executor);
    }

    static List<String> ids(SimCluster c) {
        return new ArrayList<>(c.nodes.keySet());
    }
}
