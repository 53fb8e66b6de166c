package io.arbiter.server.fragment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.core.lock.LockTable;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The initial cluster map, slot dealing and fragment group ids. */
class ClusterMapTest {

    @Test
    void initialMapDealsReplicasAndPreferredLeadersRoundRobin() {
        ClusterMap map = ClusterMap.initial(4, List.of("c:1", "a:1", "b:1", "d:1", "e:1"), 3);
        assertThat(map.epoch()).isEqualTo(1);
        assertThat(map.fragment(0).orElseThrow().replicas()).containsExactly("a:1", "b:1", "c:1");
        assertThat(map.fragment(3).orElseThrow().replicas()).containsExactly("d:1", "e:1", "a:1");
        assertThat(map.hostedBy("e:1")).extracting(ClusterMap.FragmentInfo::id).containsExactly(2, 3);
        assertThat(map.fragments()).allMatch(f -> f.founders().equals(f.replicas()) && f.acceptsBegins());
    }

    @Test
    void slotsAreDealtOverTheInitialFragmentsEvenly() {
        SlotMap slots = ClusterMap.initial(3, List.of("a:1"), 3).slots();
        int[] counts = new int[3];
        for (int s = 0; s < LockTable.SLOTS; s++) {
            counts[slots.ownerOfSlot(s)]++;
        }
        assertThat(counts).containsExactly(5462, 5461, 5461);
        for (int f = 0; f < 3; f++) {
            int id = f;
            java.util.BitSet own = slots.slotsOf(id);
            assertThat(own.cardinality()).isEqualTo(counts[id]);
            assertThat(own.stream()).allMatch(s -> slots.ownerOfSlot(s) == id);
        }
        assertThat(slots.slotsOf(0).intersects(slots.slotsOf(1))).isFalse();
        assertThat(slots.slotsOf(7).isEmpty()).isTrue();
        // pinned: which fragment owns a row is part of the on-disk lock state of every node
        assertThat(slots.ownerOf("jdbc:postgresql://db/app^^^stock^^^1"))
                .isEqualTo(LockTable.slotOf("jdbc:postgresql://db/app^^^stock^^^1") % 3);
    }

    @Test
    void slotsCanGoToTheFirstFragmentsOnly() {
        ClusterMap map = ClusterMap.initial(8, List.of("a:1", "b:1", "c:1"), 3, 1);
        assertThat(map.fragments()).hasSize(8);
        assertThat(map.slots().slotCounts()).containsExactly(java.util.Map.entry(0, LockTable.SLOTS));
        assertThat(ClusterMap.initial(8, List.of("a:1"), 3, 2).slots().slotCounts())
                .containsOnlyKeys(0, 1);
        assertThatThrownBy(() -> ClusterMap.initial(2, List.of("a:1"), 3, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fragmentGroupIdsAreStableAndInvertible() {
        FragmentIds ids = new FragmentIds("default");
        assertThat(ids.groupId(0)).isEqualTo(io.arbiter.replication.ReplicaGroupConfig.groupIdOf("default"));
        for (int f : new int[] {0, 1, 7, FragmentIds.MAX_FRAGMENTS - 1}) {
            assertThat(ids.fragmentOf(ids.groupId(f))).hasValue(f);
        }
        assertThat(ids.fragmentOf(ids.metaGroupId())).isEmpty();
        assertThat(ids.fragmentOf(new FragmentIds("other").groupId(1))).isEmpty();
        assertThat(ids.fragmentOf(UUID.randomUUID())).isEmpty();
        assertThat(FragmentIds.fragmentOfId((5L << 48) | 12345)).isEqualTo(5);
    }
}
