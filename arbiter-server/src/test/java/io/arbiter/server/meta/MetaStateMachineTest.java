package io.arbiter.server.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.server.fragment.ClusterMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster map's state machine: bootstrap once, every change raises the epoch, refusals change nothing. */
class MetaStateMachineTest {
    private final MetaStateMachine sm = new MetaStateMachine();
    private final List<ClusterMap> heard = new ArrayList<>();
    private long index;

    MetaStateMachineTest() {
        sm.onChange(heard::add);
    }

    private byte[] apply(MetaCommand c) {
        return sm.apply(++index, MetaCodec.encode(c));
    }

    private static ClusterMap threeNodes(int fragments) {
        return ClusterMap.initial(fragments, List.of("n1:1", "n2:1", "n3:1"), 3);
    }

    @Test
    void bootstrapIsTakenOnceAndChangesRaiseTheEpoch() {
        assertThat(MetaStateMachine.epochOrThrow(apply(new MetaCommand.Bootstrap(threeNodes(4)))))
                .isEqualTo(1);
        apply(new MetaCommand.Bootstrap(threeNodes(9))); // a second proposer's bootstrap: ignored
        assertThat(sm.map().fragments()).hasSize(4);

        long epoch = MetaStateMachine.epochOrThrow(apply(new MetaCommand.CreateFragment(4, List.of("n2:1"))));
        assertThat(epoch).isEqualTo(2);
        assertThat(sm.map().fragment(4).orElseThrow().founders()).containsExactly("n2:1");
        assertThat(sm.map().slots().owns(4)).isFalse(); // a created fragment takes transactions, not lock slots

        apply(new MetaCommand.SetReplicas(4, List.of("n2:1", "n3:1")));
        assertThat(sm.map().fragment(4).orElseThrow().replicas()).containsExactly("n2:1", "n3:1");
        assertThat(sm.map().fragment(4).orElseThrow().founders())
                .as("its membership changed: a replica started later joins")
                .isEmpty();
        apply(new MetaCommand.SetAcceptsBegins(4, false));
        long before = sm.map().epoch();
        apply(new MetaCommand.SetAcceptsBegins(4, false)); // again (an entry applied twice): nothing changes
        apply(new MetaCommand.SetReplicas(4, List.of("n2:1", "n3:1")));
        assertThat(sm.map().epoch())
                .as("a command that changes nothing keeps the epoch")
                .isEqualTo(before);
        apply(new MetaCommand.DropFragment(4));
        assertThat(sm.map().fragment(4)).isEmpty();
        assertThat(sm.map().epoch()).isEqualTo(5);
        assertThat(heard).extracting(ClusterMap::epoch).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aLockOnlyFragmentKeepsItsFlagAndIsNeitherRetiredNorGivenAwayItsSlots() {
        ClusterMap initial = ClusterMap.initial(4, List.of("n1:1", "n2:1", "n3:1"), 3, 1, true);
        assertThat(initial.fragments())
                .extracting(ClusterMap.FragmentInfo::lockOnly)
                .containsExactly(true, false, false, false);
        assertThat(initial.fragments())
                .extracting(ClusterMap.FragmentInfo::takesBegins)
                .containsExactly(false, true, true, true);
        assertThat(ClusterMap.initial(1, List.of("n1:1"), 3, 1, true).lockOnly(0))
                .as("one fragment keeps replicated locks")
                .isFalse();
        // the flag survives the log and the snapshot; a map without a lock-only fragment is still written as v2
        assertThat(MetaCodec.decodeMap(MetaCodec.encodeMap(initial))).isEqualTo(initial);
        assertThat(MetaCodec.encodeMap(threeNodes(4))[0]).isEqualTo((byte) 2);
        assertThat(MetaCodec.encodeMap(initial)[0]).isEqualTo((byte) 3);

        apply(new MetaCommand.Bootstrap(initial));
        assertThat(sm.map().lockOnly(0)).isTrue();
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.SetAcceptsBegins(0, false))))
                .hasMessageContaining("lock-only");
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.MoveSlots(0, 1))))
                .hasMessageContaining("lock-only");
        assertThat(sm.map().slots().owns(0)).isTrue();
        assertThat(sm.map().fragment(0).orElseThrow().acceptsBegins()).isTrue();
        // another change keeps the flag
        apply(new MetaCommand.SetReplicas(0, List.of("n1:1", "n2:1")));
        assertThat(sm.map().lockOnly(0)).isTrue();
    }

    @Test
    void theMapIsReadWithoutAnEntryAndOnlyReadMapIsARead() {
        assertThat(MetaCodec.decodeMap(sm.query(MetaCodec.encode(new MetaCommand.ReadMap()))))
                .as("before the bootstrap")
                .isNull();
        apply(new MetaCommand.Bootstrap(threeNodes(2)));
        long heardBefore = heard.size();
        ClusterMap read = MetaCodec.decodeMap(sm.query(MetaCodec.encode(new MetaCommand.ReadMap())));
        assertThat(read).isEqualTo(sm.map());
        assertThat(heard).as("a read announces no map").hasSize((int) heardBefore);
        assertThatThrownBy(() -> sm.query(MetaCodec.encode(new MetaCommand.DropFragment(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sm.map().fragments()).hasSize(2);
    }

    @Test
    void replicaChangesApplyToTheReplicatedMapNotToACopy() {
        apply(new MetaCommand.Bootstrap(threeNodes(1)));
        apply(new MetaCommand.ChangeReplica(0, "n3:1", MetaCommand.ChangeReplica.Change.PREFER));
        assertThat(sm.map().fragment(0).orElseThrow().founders())
                .as("a new leader keeps the founders")
                .hasSize(3);
        apply(new MetaCommand.ChangeReplica(0, "n4:1", MetaCommand.ChangeReplica.Change.ADD));
        // once the membership changed, a replica started later joins: none starts the group afresh
        assertThat(sm.map().fragment(0).orElseThrow().founders()).isEmpty();
        assertThat(sm.map().fragment(0).orElseThrow().replicas()).containsExactly("n3:1", "n1:1", "n2:1", "n4:1");
        apply(new MetaCommand.ChangeReplica(0, "n1:1", MetaCommand.ChangeReplica.Change.REMOVE));
        long epoch = sm.map().epoch();
        apply(new MetaCommand.ChangeReplica(0, "n1:1", MetaCommand.ChangeReplica.Change.REMOVE)); // again: no change
        assertThat(sm.map().epoch()).isEqualTo(epoch);
        assertThat(sm.map().fragment(0).orElseThrow().replicas()).containsExactly("n3:1", "n2:1", "n4:1");
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(
                        apply(new MetaCommand.ChangeReplica(0, "n9:1", MetaCommand.ChangeReplica.Change.PREFER))))
                .hasMessageContaining("holds no replica");
        assertThat(MetaCodec.decodeCommand(MetaCodec.encode(
                        new MetaCommand.ChangeReplica(3, "x:1", MetaCommand.ChangeReplica.Change.ADD))))
                .isEqualTo(new MetaCommand.ChangeReplica(3, "x:1", MetaCommand.ChangeReplica.Change.ADD));
    }

    @Test
    void refusalsNameTheReasonAndChangeNothing() {
        assertThatThrownBy(
                        () -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.CreateFragment(1, List.of("n1:1")))))
                .hasMessageContaining("not bootstrapped");
        apply(new MetaCommand.Bootstrap(threeNodes(2)));
        assertThatThrownBy(
                        () -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.CreateFragment(1, List.of("n1:1")))))
                .hasMessageContaining("exists");
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.DropFragment(1))))
                .hasMessageContaining("retire it first");
        apply(new MetaCommand.SetAcceptsBegins(1, false));
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.DropFragment(1))))
                .hasMessageContaining("owns lock slots");
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.SetReplicas(7, List.of("n1:1")))))
                .hasMessageContaining("no fragment 7");
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.SetReplicas(0, List.of()))))
                .hasMessageContaining("at least one replica");
        assertThat(sm.map().epoch()).isEqualTo(2);
        assertThat(sm.map().fragments()).hasSize(2);
    }

    @Test
    void aRetiredFragmentsSlotsMoveToAnotherOnceAndThenItCanBeDropped() throws Exception {
        apply(new MetaCommand.Bootstrap(threeNodes(3)));
        apply(new MetaCommand.SetAcceptsBegins(1, false));
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.MoveSlots(1, 1))))
                .hasMessageContaining("its own slots");
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.MoveSlots(1, 9))))
                .hasMessageContaining("no fragment 9");
        apply(new MetaCommand.SetAcceptsBegins(2, false));
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.MoveSlots(1, 2))))
                .hasMessageContaining("fragment 2 is retired");
        apply(new MetaCommand.SetAcceptsBegins(2, true));
        long epoch = sm.map().epoch();
        int[] before = new int[io.arbiter.core.lock.LockTable.SLOTS];
        for (int s = 0; s < before.length; s++) {
            before[s] = sm.map().slots().ownerOfSlot(s);
        }
        assertThat(MetaStateMachine.epochOrThrow(apply(new MetaCommand.MoveSlots(1, 2))))
                .isEqualTo(epoch + 1);
        for (int s = 0; s < before.length; s++) {
            assertThat(sm.map().slots().ownerOfSlot(s)).as("slot %d", s).isEqualTo(before[s] == 1 ? 2 : before[s]);
        }
        assertThat(sm.map().slots().owns(1)).isFalse();
        apply(new MetaCommand.MoveSlots(1, 0)); // a retried move: done already, nothing changes
        assertThat(sm.map().epoch()).isEqualTo(epoch + 1);
        assertThat(sm.map().slots().ownerOfSlot(1)).isEqualTo(2);
        // the map with moved slots survives its encoding
        assertThat(MetaCodec.decodeMap(MetaCodec.encodeMap(sm.map()))).isEqualTo(sm.map());
        apply(new MetaCommand.DropFragment(1));
        assertThat(sm.map().fragment(1)).isEmpty();
    }

    @Test
    void snapshotsAndReadsCarryTheWholeMap() throws Exception {
        apply(new MetaCommand.Bootstrap(threeNodes(3)));
        apply(new MetaCommand.CreateFragment(3, List.of("n1:1", "n3:1")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.snapshot().writeTo(out);
        MetaStateMachine copy = new MetaStateMachine();
        copy.restore(new ByteArrayInputStream(out.toByteArray()));
        assertThat(copy.map()).isEqualTo(sm.map());
        assertThat(MetaCodec.decodeMap(apply(new MetaCommand.ReadMap()))).isEqualTo(sm.map());
        assertThat(copy.map().slots().ownerOf("r^^^t^^^1"))
                .isEqualTo(sm.map().slots().ownerOf("r^^^t^^^1"));
    }

    private static OperatorRecord ended(String by, long id, long endedMs) {
        return new OperatorRecord(
                by, id, "BALANCE", 1, List.of("TransferLeader[...]"), "", "SUCCEEDED", 1, endedMs - 10, endedMs, "");
    }

    @Test
    void endedOperatorsAreKeptNewestFirstWithoutTouchingTheMap() throws Exception {
        apply(new MetaCommand.Bootstrap(threeNodes(3)));
        ClusterMap before = sm.map();
        heard.clear();
        assertThat(MetaStateMachine.epochOrThrow(
                        apply(new MetaCommand.RecordOperators(List.of(ended("n1:1", 2, 200), ended("n1:1", 1, 100))))))
                .isEqualTo(before.epoch());
        // a proposal made again (its first answer was lost) adds nothing; a later one goes first
        apply(new MetaCommand.RecordOperators(List.of(ended("n1:1", 2, 200))));
        apply(new MetaCommand.RecordOperators(List.of(ended("n2:1", 1, 300))));
        assertThat(sm.map()).isSameAs(before);
        assertThat(heard).as("no map change heard").isEmpty();
        assertThat(sm.history()).extracting(r -> r.by() + "#" + r.id()).containsExactly("n2:1#1", "n1:1#2", "n1:1#1");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.snapshot().writeTo(out);
        MetaStateMachine copy = new MetaStateMachine();
        copy.restore(new ByteArrayInputStream(out.toByteArray()));
        assertThat(copy.history()).isEqualTo(sm.history());
        assertThat(copy.map()).isEqualTo(sm.map());

        for (int i = 0; i < MetaStateMachine.HISTORY_KEPT + 5; i++) {
            apply(new MetaCommand.RecordOperators(List.of(ended("n3:1", 100 + i, 1_000 + i))));
        }
        assertThat(sm.history()).hasSize(MetaStateMachine.HISTORY_KEPT);
        assertThat(sm.history().get(0).id()).isEqualTo(100 + MetaStateMachine.HISTORY_KEPT + 4);
    }

    @Test
    void malformedRecordsAreRefusedWithTheirOwnError() {
        assertThatThrownBy(() -> MetaCodec.decodeCommand(new byte[] {1, 99}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag 99");
        assertThatThrownBy(() -> MetaCodec.decodeCommand(new byte[] {7, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 7");
        assertThatThrownBy(() -> MetaCodec.decodeMap(new byte[] {1, 1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membersAreRecordedAndALeaverMustHoldNothing() {
        apply(new MetaCommand.Bootstrap(ClusterMap.initial(2, List.of("n1:1", "n2:1", "n3:1", "n4:1"), 3)));
        assertThat(sm.map().members()).containsExactly("n1:1", "n2:1", "n3:1", "n4:1");
        assertThat(sm.map().hostedBy("n4:1")).isNotEmpty();

        apply(new MetaCommand.SetMembers(List.of("n1:1", "n2:1", "n3:1", "n4:1", "n5:1")));
        assertThat(sm.map().members()).containsExactly("n1:1", "n2:1", "n3:1", "n4:1", "n5:1");
        apply(new MetaCommand.SetDraining("n4:1", true));
        assertThat(sm.map().node("n4:1").orElseThrow().draining()).isTrue();

        long epoch = sm.map().epoch();
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(
                        apply(new MetaCommand.SetMembers(List.of("n1:1", "n2:1", "n3:1", "n5:1")))))
                .hasMessageContaining("n4:1")
                .hasMessageContaining("drain");
        assertThatThrownBy(() -> MetaStateMachine.epochOrThrow(apply(new MetaCommand.SetDraining("n9:1", true))))
                .hasMessageContaining("no member n9:1");
        assertThat(sm.map().epoch()).isEqualTo(epoch);

        for (ClusterMap.FragmentInfo f : sm.map().hostedBy("n4:1")) {
            apply(new MetaCommand.ChangeReplica(f.id(), "n4:1", MetaCommand.ChangeReplica.Change.REMOVE));
        }
        apply(new MetaCommand.SetMembers(List.of("n1:1", "n2:1", "n3:1", "n5:1")));
        assertThat(sm.map().members()).containsExactly("n1:1", "n2:1", "n3:1", "n5:1");
        assertThat(sm.map().nodes()).noneMatch(ClusterMap.NodeInfo::draining);
    }

    @Test
    void aVersionOneMapStillReadsWithItsReplicaHoldersAsMembers() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1); // version 1: no member list
            out.writeBoolean(true);
            out.writeLong(7); // epoch
            out.writeInt(1); // one fragment
            out.writeInt(0);
            writeStrings(out, List.of("b_1", "a_1"));
            out.writeBoolean(true);
            writeStrings(out, List.of("b_1", "a_1"));
            out.writeInt(1); // slots spread over fragment 0
            out.writeInt(0);
        }
        ClusterMap map = MetaCodec.decodeMap(bytes.toByteArray());
        assertThat(map.epoch()).isEqualTo(7);
        assertThat(map.nodes()).isEmpty();
        assertThat(map.members()).containsExactly("a_1", "b_1");
        assertThat(MetaCodec.decodeMap(MetaCodec.encodeMap(map.withMembers(List.of("a_1", "b_1", "c_1"))))
                        .members())
                .containsExactly("a_1", "b_1", "c_1");
        assertThatThrownBy(() -> MetaCodec.decodeMap(new byte[] {9, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
    }

    private static void writeStrings(java.io.DataOutputStream out, List<String> strings) throws Exception {
        out.writeInt(strings.size());
        for (String s : strings) {
            io.arbiter.core.command.Bytes.writeString(out, s);
        }
    }
}
