package io.arbiter.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which change the meta group's voters need next, for the cases placement meets. */
class MetaVotersTest {
    private static final long NOW = 1_000_000;
    private static final PlacementSettings SETTINGS = PlacementSettings.defaults(8);
    private static final long LONG_DOWN = NOW - SETTINGS.nodeDownAfterMs() - 1;

    private static ClusterState cluster(NodeState... nodes) {
        return ClusterState.of(List.of(nodes), List.of());
    }

    private static NodeState up(String id) {
        return NodeState.up(id);
    }

    private static NodeState down(String id, long since) {
        return new NodeState(id, false, since, false, 0);
    }

    private static NodeState draining(String id) {
        return new NodeState(id, true, -1, true, 0);
    }

    private static Optional<Step> next(List<String> voters, String leader, ClusterState state) {
        return MetaVoters.next(voters, leader, state, SETTINGS, NOW);
    }

    @Test
    void wantsThreeVotersThenFive() {
        assertThat(List.of(1, 2, 3, 4, 5, 9).stream().map(MetaVoters::wanted).toList())
                .containsExactly(1, 2, 3, 3, 5, 5);
    }

    @Test
    void healthyVotersStay() {
        assertThat(next(List.of("a", "b", "c"), "a", cluster(up("a"), up("b"), up("c"), up("d"))))
                .isEmpty();
    }

    @Test
    void aVoterThatLeftTheClusterIsReplacedThenRemoved() {
        ClusterState withoutC = cluster(up("a"), up("b"), up("d"), up("e"));
        assertThat(next(List.of("a", "b", "c"), "a", withoutC)).contains(new Step.AddReplica(MetaVoters.META, "d"));
        assertThat(next(List.of("a", "b", "c", "d"), "a", withoutC))
                .contains(new Step.RemoveReplica(MetaVoters.META, "c"));
        assertThat(next(List.of("a", "b", "d"), "a", withoutC)).isEmpty();
    }

    @Test
    void aVoterDownLongIsReplacedOnlyWhenAnotherNodeCanTakeItsPlace() {
        assertThat(next(List.of("a", "b", "c"), "a", cluster(up("a"), up("b"), down("c", LONG_DOWN))))
                .as("no spare node: the down voter stays (removing it would not make the group safer)")
                .isEmpty();
        ClusterState withSpare = cluster(up("a"), up("b"), down("c", LONG_DOWN), up("d"));
        assertThat(next(List.of("a", "b", "c"), "a", withSpare)).contains(new Step.AddReplica(MetaVoters.META, "d"));
        assertThat(next(List.of("a", "b", "c", "d"), "a", withSpare))
                .contains(new Step.RemoveReplica(MetaVoters.META, "c"));
    }

    @Test
    void aVoterDownBrieflyStays() {
        assertThat(next(List.of("a", "b", "c"), "a", cluster(up("a"), up("b"), down("c", NOW - 1_000), up("d"))))
                .isEmpty();
    }

    @Test
    void anUnreachableVoterDoesNotShrinkTheGroup() {
        ClusterState oneUnreachable = cluster(up("a"), up("b"), up("c"), up("d"), down("e", NOW - 1_000));
        assertThat(next(List.of("a", "b", "c", "d", "e"), "a", oneUnreachable)).isEmpty();
        ClusterState oneDown = cluster(up("a"), up("b"), up("c"), up("d"), down("e", LONG_DOWN));
        assertThat(next(List.of("a", "b", "c", "d", "e"), "a", oneDown))
                .as("no node to take its place: it stays a voter")
                .isEmpty();
    }

    @Test
    void aDrainingLeaderHandsOverFirst() {
        ClusterState state = cluster(draining("a"), up("b"), up("c"), up("d"));
        assertThat(next(List.of("a", "b", "c"), "a", state)).contains(new Step.AddReplica(MetaVoters.META, "d"));
        assertThat(next(List.of("a", "b", "c", "d"), "a", state))
                .contains(new Step.TransferLeader(MetaVoters.META, "b"));
        assertThat(next(List.of("a", "b", "c", "d"), "b", state))
                .contains(new Step.RemoveReplica(MetaVoters.META, "a"));
    }

    @Test
    void growsToFiveVotersAndShrinksBackToThree() {
        List<NodeState> nodes = new ArrayList<>(List.of(up("a"), up("b"), up("c"), up("d"), up("e")));
        assertThat(next(List.of("a", "b", "c"), "a", ClusterState.of(nodes, List.of())))
                .contains(new Step.AddReplica(MetaVoters.META, "d"));
        assertThat(next(List.of("a", "b", "c", "d"), "a", ClusterState.of(nodes, List.of())))
                .contains(new Step.AddReplica(MetaVoters.META, "e"));
        nodes.remove(4);
        assertThat(next(List.of("a", "b", "c", "d", "e"), "a", ClusterState.of(nodes, List.of())))
                .contains(new Step.RemoveReplica(MetaVoters.META, "e"));
        assertThat(next(List.of("a", "b", "c", "d"), "a", ClusterState.of(nodes, List.of())))
                .contains(new Step.RemoveReplica(MetaVoters.META, "d"));
    }

    @Test
    void anExtraVoterThatCannotBeReachedGoesBeforeAHealthyOne() {
        // e drains (4 members stay: 3 voters wanted); d cannot be reached just now: d goes, not the healthy c
        ClusterState state = cluster(up("a"), up("b"), up("c"), down("d", NOW - 1_000), draining("e"));
        assertThat(next(List.of("a", "b", "c", "d"), "a", state))
                .contains(new Step.RemoveReplica(MetaVoters.META, "d"));
    }

    @Test
    void neverRemovesWhatWouldLeaveNoReachableMajority() {
        // c left the cluster and b cannot be reached: without c, a alone is not a majority of {a, b}
        ClusterState state = cluster(up("a"), down("b", NOW - 1_000));
        assertThat(next(List.of("a", "b", "c"), "a", state)).isEmpty();
    }
}
