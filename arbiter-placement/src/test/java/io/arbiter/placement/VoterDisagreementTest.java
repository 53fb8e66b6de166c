package io.arbiter.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fragment whose Raft voters disagree with the map (a replica change that went only half through): the scheduler
 * finishes or undoes the half that is missing, and a step counts as done only once both halves are there.
 */
class VoterDisagreementTest {
    private static final long NOW = 1_000_000;
    private static final PlacementSettings SETTINGS = PlacementSettings.defaults(1);

    private static ClusterState cluster(FragmentState f, NodeState... extra) {
        List<NodeState> nodes = new java.util.ArrayList<>(
                List.of(NodeState.up("a"), NodeState.up("b"), NodeState.up("c"), NodeState.up("d")));
        for (NodeState n : extra) {
            nodes.removeIf(m -> m.id().equals(n.id()));
            nodes.add(n);
        }
        return ClusterState.of(nodes, List.of(f));
    }

    private static List<Operator> schedule(ClusterState state) {
        return new Scheduler(SETTINGS).schedule(state, NOW);
    }

    @Test
    void aReplicaTheMapNamesThatDoesNotVoteIsAddedToTheGroup() {
        FragmentState f = FragmentState.of(0, List.of("a", "b", "c"), "a").withVoters(List.of("a", "b"));

        List<Operator> planned = schedule(cluster(f));

        assertThat(planned).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Operator.Kind.REPAIR);
            assertThat(op.steps()).containsExactly(new Step.AddReplica(0, "c"));
            assertThat(op.reason()).contains("c").contains("does not vote");
        });
    }

    @Test
    void aNonVotingReplicaOnADrainingNodeLeavesTheMapAndAnotherIsAdded() {
        FragmentState f = FragmentState.of(0, List.of("a", "b", "c"), "a").withVoters(List.of("a", "b"));
        NodeState draining = new NodeState("c", true, -1, true, 0);

        List<Operator> planned = schedule(cluster(f, draining));

        assertThat(planned)
                .singleElement()
                .satisfies(op -> assertThat(op.steps())
                        .containsExactly(new Step.AddReplica(0, "d"), new Step.RemoveReplica(0, "c")));
    }

    @Test
    void aVoterTheMapDoesNotNameIsRemovedFromTheGroup() {
        FragmentState f = FragmentState.of(0, List.of("a", "b", "c"), "a").withVoters(List.of("a", "b", "c", "d"));

        List<Operator> planned = schedule(cluster(f));

        assertThat(planned).singleElement().satisfies(op -> {
            assertThat(op.steps()).containsExactly(new Step.RemoveReplica(0, "d"));
            assertThat(op.reason()).contains("map does not name it");
        });
    }

    @Test
    void aGhostIsNotRemovedWhenTheRestCouldNotCommit() {
        FragmentState f = FragmentState.of(0, List.of("a"), "a").withVoters(List.of("a", "b", "c"));
        NodeState bDown = new NodeState("b", false, NOW - 1, false, 0);
        NodeState cDown = new NodeState("c", false, NOW - 1, false, 0);

        assertThat(schedule(cluster(f, bDown, cDown))).isEmpty();
    }

    @Test
    void stepsAreDoneOnlyWhenTheMapAndTheVotersBothShowThem() {
        Step add = new Step.AddReplica(0, "c");
        Step remove = new Step.RemoveReplica(0, "d");
        FragmentState mapOnly = FragmentState.of(0, List.of("a", "b", "c"), "a").withVoters(List.of("a", "b", "d"));
        FragmentState both = FragmentState.of(0, List.of("a", "b", "c"), "a");

        assertThat(add.isDone(cluster(mapOnly))).isFalse();
        assertThat(remove.isDone(cluster(mapOnly))).isFalse();
        assertThat(add.isDone(cluster(both))).isTrue();
        assertThat(remove.isDone(cluster(both))).isTrue();
    }

    @Test
    void repairingDisagreeingVotersComesBeforeBalancing() {
        // d holds nothing: with agreeing voters a balance move is planned; with a ghost voter in each fragment only
        // the repairs are
        FragmentState f0 = FragmentState.of(0, List.of("a", "b", "c"), "a");
        FragmentState f1 = FragmentState.of(1, List.of("a", "b", "c"), "b");
        ClusterState agreeing = ClusterState.of(
                List.of(NodeState.up("a"), NodeState.up("b"), NodeState.up("c"), NodeState.up("d")), List.of(f0, f1));
        assertThat(schedule(agreeing)).isNotEmpty();

        ClusterState disagreeing = agreeing.withFragments(
                List.of(f0.withVoters(List.of("a", "b", "c", "d")), f1.withVoters(List.of("a", "b", "c", "d"))));
        assertThat(schedule(disagreeing)).allSatisfy(op -> assertThat(op.kind()).isEqualTo(Operator.Kind.REPAIR));
    }
}
