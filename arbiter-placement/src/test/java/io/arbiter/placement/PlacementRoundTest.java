package io.arbiter.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A placement round plans with what ended in it: a leader moved for load and reported done in this round is not
 * moved back by the same round's plan (a full run's log showed fragment 7's leader moved and moved back one second
 * later, because the plan was made on the load history read before the move ended).
 */
class PlacementRoundTest {
    private static final List<String> NODES = List.of("a", "b", "c");
    private static final long T0 = 1_000_000;

    /** Records each started step; the test reports them done. */
    private static final class RecordingActuator implements Actuator {
        final List<Long> started = new ArrayList<>();

        @Override
        public void start(long operatorId, Step step) {
            started.add(operatorId);
        }
    }

    private static ClusterState cluster(String leaderOf1, double f0, double f1, double f2, double f3) {
        List<FragmentState> fragments = List.of(
                FragmentState.of(0, NODES, "a").withLoad(f0, 0, 0),
                FragmentState.of(1, NODES, leaderOf1).withLoad(f1, 0, 0),
                FragmentState.of(2, NODES, "b").withLoad(f2, 0, 0),
                FragmentState.of(3, NODES, "c").withLoad(f3, 0, 0));
        return ClusterState.of(NODES.stream().map(NodeState::up).toList(), fragments);
    }

    private static List<Operator> loadMovesOf(int fragment, List<Operator> operators) {
        return operators.stream()
                .filter(op -> op.kind() == Operator.Kind.BALANCE_LOAD && op.fragment() == fragment)
                .toList();
    }

    @Test
    void aLeaderMovedForLoadIsNotMovedBackByTheRoundInWhichTheMoveEnded() {
        RecordingActuator actuator = new RecordingActuator();
        PlacementRound round = new PlacementRound(PlacementSettings.defaults(4), actuator);

        // a leads fragments 0 and 1 and applies 700 commands/s, the mean is 300: fragment 1 moves to b
        ClusterState first = round.run(cluster("a", 600, 100, 100, 100), T0);
        assertThat(loadMovesOf(1, first.inFlight()))
                .singleElement()
                .satisfies(op -> assertThat(op.steps()).containsExactly(new Step.TransferLeader(1, "b")));
        actuator.started.forEach(id -> round.executor().stepDone(id, true, null));

        // a second later the move is done and b is the busiest (fragment 2's load grew): moving fragment 1 back to
        // a would balance the figures, but it moved for load a moment ago
        ClusterState second = round.run(cluster("b", 100, 100, 600, 100), T0 + 1_000);

        assertThat(round.executor().runs())
                .anySatisfy(run -> assertThat(run.operator().kind()).isEqualTo(Operator.Kind.BALANCE_LOAD));
        assertThat(loadMovesOf(1, second.inFlight())).isEmpty();
    }
}
