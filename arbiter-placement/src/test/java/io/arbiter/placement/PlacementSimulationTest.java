package io.arbiter.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with its executor over simulated clusters, seeded: nodes added, drained and removed, killed,
 * slow, flapping; load spikes and calm. After each scenario: settled (every fragment at its replica target, replicas
 * and leaders per node within the tolerance) within a stated number of ticks; no step that left a fragment without
 * quorum; no operator in {@value PlacementSimulation#STEADY_TICKS} steady ticks after settling; operator counts near
 * the minimum the change needs.
 *
 * <p>Sizes: the default run uses small clusters and a few seeds; {@code -Dplacement.sim.large=true} adds 100 nodes
 * and 1,000 fragments, {@code -Dplacement.sim.runs=N} more seeds, {@code -Dplacement.sim.seed=S} one seed
 * (printed in every failure).
 */
class PlacementSimulationTest {
    private static final boolean LARGE = Boolean.getBoolean("placement.sim.large");
    private static final int RUNS = Integer.getInteger("placement.sim.runs", 3);

    private static List<Long> seeds() {
        String one = System.getProperty("placement.sim.seed");
        if (one != null) {
            return List.of(Long.parseLong(one));
        }
        if (System.getProperty("placement.sim.runs") == null) {
            // the default run is reproducible; more (random) seeds with -Dplacement.sim.runs=N. The last seed left a
            // node one leader short before leader moves could go through a node in between (Balancer)
            return List.of(3049104302413820900L, -1040490570993123986L, -1554197521211746705L, -3287518872239117464L);
        }
        List<Long> seeds = new ArrayList<>();
        Random r = new Random();
        for (int i = 0; i < RUNS; i++) {
            seeds.add(r.nextLong());
        }
        return seeds;
    }

    private static PlacementSettings settings(int fragments, int inFlight) {
        return PlacementSettings.defaults(fragments).withMaxInFlight(inFlight);
    }

    /** Runs {@code scenario} for every seed and checks the common properties. */
    private static List<PlacementSimulation.Outcome> runAll(
            String name, int maxTicks, LongFunction<PlacementSimulation> scenario) {
        List<PlacementSimulation.Outcome> outcomes = new ArrayList<>();
        for (long seed : seeds()) {
            PlacementSimulation.Outcome o = scenario.apply(seed).run(name, maxTicks);
            System.out.println("placement simulation: " + o);
            assertThat(o.violations()).as("quorum violations, %s", o).isEmpty();
            assertThat(o.settledAfterTicks()).as("settled, %s", o).isGreaterThanOrEqualTo(0);
            assertThat(o.unsettled()).as("checks after settling, %s", o).isEmpty();
            assertThat(o.operatorsWhenSteady())
                    .as("operators once settled (flapping), %s", o)
                    .isZero();
            outcomes.add(o);
        }
        return outcomes;
    }

    @Test
    void joiningNodesGetTheirShare() {
        int nodes = 5;
        int fragments = 40;
        int added = 2;
        for (PlacementSimulation.Outcome o : runAll(
                "join",
                2_000,
                seed -> new PlacementSimulation(seed, nodes, fragments, settings(fragments, 4))
                        .at(10, c -> c.addNode())
                        .at(30, c -> c.addNode()))) {
            // each new node needs at least floor(mean) - 1 replicas and leaders; one operator moves one of each
            double replicaMean = fragments * 3.0 / (nodes + added);
            double leaderMean = fragments * 1.0 / (nodes + added);
            int minimum = added * ((int) Math.floor(replicaMean) - 1) + added * ((int) Math.floor(leaderMean) - 1);
            assertThat(o.operators())
                    .as("operators near the minimum %d, %s", minimum, o)
                    .isBetween(minimum / 2, minimum * 3 / 2 + 3);
            assertThat(o.settledAfterTicks()).as("settle time, %s", o).isLessThanOrEqualTo(300);
        }
    }

    @Test
    void aKilledNodeIsReplacedAfterTheDownTime() {
        int fragments = 30;
        for (PlacementSimulation.Outcome o : runAll("kill", 2_000, seed -> {
            PlacementSimulation sim = new PlacementSimulation(seed, 6, fragments, settings(fragments, 4));
            return sim.at(10, c -> c.setUp(PlacementSimulation.ids(c).get(2), false));
        })) {
            // node 2 held 15 of the 90 replicas: one repair each, nothing earlier than the down time
            assertThat(o.byKind().get(Operator.Kind.REPAIR))
                    .as("repairs, %s", o)
                    .isEqualTo(15);
            assertThat(o.operators()).as("operators, %s", o).isLessThanOrEqualTo(15 + 15);
            assertThat(o.settledAfterTicks()).as("settle time, %s", o).isBetween(60, 60 + 200);
        }
    }

    @Test
    void aFlappingNodeMovesNothing() {
        int fragments = 24;
        for (PlacementSimulation.Outcome o : runAll("flap", 2_000, seed -> {
            PlacementSimulation sim = new PlacementSimulation(seed, 4, fragments, settings(fragments, 4));
            String flapper = PlacementSimulation.ids(sim.cluster).get(1);
            for (int t = 10; t < 400; t += 40) {
                sim.at(t, c -> c.setUp(flapper, false)).at(t + 25, c -> c.setUp(flapper, true));
            }
            return sim;
        })) {
            // down 25 s at a time, under the 60 s down time: replicas never move; leaders (elected elsewhere
            // while it is away) go back only once it has stayed 30 s, i.e. after the last return
            assertThat(o.byKind()).as("%s", o).doesNotContainKeys(Operator.Kind.REPAIR, Operator.Kind.BALANCE_REPLICAS);
            assertThat(o.replicaMoves()).as("%s", o).isZero();
            assertThat(o.byKind().getOrDefault(Operator.Kind.BALANCE_LEADERS, 0))
                    .as("%s", o)
                    .isLessThanOrEqualTo(8);
        }
    }

    @Test
    void aDrainedNodeEndsEmptyAndLeaves() {
        int fragments = 30;
        for (PlacementSimulation.Outcome o : runAll("drain", 3_000, seed -> {
            PlacementSimulation sim = new PlacementSimulation(seed, 5, fragments, settings(fragments, 4));
            String drained = PlacementSimulation.ids(sim.cluster).get(0);
            sim.at(10, c -> c.nodes.get(drained).draining = true);
            sim.at(200, c -> {
                assertThat(c.frags.values())
                        .as("nothing left on %s by tick 200", drained)
                        .noneMatch(f -> f.replicas.contains(drained));
                c.nodes.remove(drained);
            });
            return sim;
        })) {
            assertThat(o.byKind().get(Operator.Kind.REPAIR)).as("%s", o).isEqualTo(18);
        }
    }

    @Test
    void aSlowNodeStillGetsItsShare() {
        int fragments = 30;
        runAll("slow join", 3_000, seed -> {
            PlacementSimulation sim = new PlacementSimulation(seed, 4, fragments, settings(fragments, 4));
            return sim.at(5, c -> c.nodes.get(c.addNode()).slowness = 10);
        });
    }

    @Test
    void loadGrowsFragmentsAndCalmRetiresThem() {
        int fragments = 4;
        PlacementSettings settings = settings(fragments, 4).withRetireAfterCalm(300_000);
        for (PlacementSimulation.Outcome o : runAll("spike", 5_000, seed -> {
            PlacementSimulation sim = new PlacementSimulation(seed, 5, fragments, settings);
            sim.at(10, c -> c.totalLoad = 1_800); // 450 open per fragment: over 256 until there are 8
            sim.at(800, c -> {
                assertThat(c.frags.values().stream().filter(f -> f.accepts).count())
                        .as("grown by tick 800")
                        .isEqualTo(8);
                c.totalLoad = 0;
            });
            return sim;
        })) {
            assertThat(o.byKind().get(Operator.Kind.GROW)).as("%s", o).isEqualTo(4);
            assertThat(o.byKind().get(Operator.Kind.SHRINK)).as("%s", o).isEqualTo(4);
            assertThat(o.executor().runs())
                    .as("%s", o)
                    .allMatch(r -> r.outcome() == OperatorExecutor.Outcome.SUCCEEDED);
        }
    }

    @Test
    void randomEventsSettle() {
        int nodes = LARGE ? 100 : 10;
        int fragments = LARGE ? 1_000 : 60;
        runAll("random", 20_000, seed -> {
            PlacementSimulation sim =
                    new PlacementSimulation(seed, nodes, fragments, settings(fragments, LARGE ? 32 : 6));
            Random r = new Random(seed ^ 0x5DEECE66DL);
            List<String> killed = new ArrayList<>();
            for (int t = 20; t < 1_200; t += 30 + r.nextInt(60)) {
                int what = r.nextInt(4);
                sim.at(t, c -> {
                    List<String> alive = c.nodes.values().stream()
                            .filter(n -> n.up && !n.draining)
                            .map(n -> n.id)
                            .toList();
                    if (what == 0 || alive.size() <= 4) {
                        c.addNode();
                    } else if (what == 1 && killed.isEmpty()) {
                        String victim = alive.get(c.random.nextInt(alive.size()));
                        c.setUp(victim, false);
                        killed.add(victim);
                    } else if (what == 2 && !killed.isEmpty()) {
                        c.setUp(killed.remove(0), true);
                    } else {
                        c.totalLoad = c.random.nextInt(2) * 300 * c.frags.size();
                    }
                });
            }
            sim.at(1_250, c -> c.totalLoad = 0);
            return sim;
        });
    }
}
