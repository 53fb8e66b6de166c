package io.arbiter.server.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.replication.GroupView;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.server.cluster.ClusterMember;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What the reconciler does with a joining replica the map places here: it leaves it alone while it waits to be
 * added, and starts it again from nothing once it has waited {@link FragmentReconciler#JOIN_PATIENCE} (a new replica
 * that answers its leader but never catches up holds every add of it for good); a replica that was added stays.
 */
class FragmentReconcilerTest {
    private static final ClusterMember A = ClusterMember.fromRaftAddress("10.0.0.1", 9091);
    private static final ClusterMember B = ClusterMember.fromRaftAddress("10.0.0.2", 9091);
    private static final ClusterMember C = ClusterMember.fromRaftAddress("10.0.0.3", 9091);
    private static final ClusterMember D = ClusterMember.fromRaftAddress("10.0.0.4", 9091);
    private static final List<ClusterMember> MEMBERS = List.of(A, B, C, D);

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final FragmentIds ids = new FragmentIds("test");
    private final Host host = new Host();

    /** Replicas started here; each one's group answers whether it joined as {@code joined} says at the time. */
    private static final class Host implements ReplicaHost {
        final Map<UUID, ReplicaGroup> running = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        boolean joined;
        /** The replica's view no longer counts it a member (its group removed it). */
        boolean removedFromConfiguration;

        @Override
        public void start() {}

        @Override
        public Set<UUID> groupIds() {
            return running.keySet();
        }

        @Override
        public Optional<? extends ReplicaGroup> group(UUID groupId) {
            return Optional.ofNullable(running.get(groupId));
        }

        @Override
        public CompletableFuture<? extends ReplicaGroup> addGroup(UUID groupId, List<Peer> peers, boolean joining) {
            calls.add((joining ? "join " : "add ") + groupId);
            ReplicaGroup group = replica(D.id(), () -> joined, () -> joined && !removedFromConfiguration);
            running.put(groupId, group);
            return CompletableFuture.completedFuture(group);
        }

        @Override
        public CompletableFuture<Void> removeGroup(UUID groupId, boolean deleteData) {
            calls.add("remove " + groupId + (deleteData ? " with its data" : ""));
            running.remove(groupId);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
    }

    /** A replica that joined its group once {@code joined} says so, a member while {@code member} says so. */
    private static ReplicaGroup replica(
            String self, java.util.function.BooleanSupplier joined, java.util.function.BooleanSupplier member) {
        return (ReplicaGroup) Proxy.newProxyInstance(
                ReplicaGroup.class.getClassLoader(),
                new Class<?>[] {ReplicaGroup.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "joinedItsGroup" -> joined.getAsBoolean();
                    case "stoppedByReplication", "isLeader" -> false;
                    case "view" -> new GroupView(1, self, List.of(), Optional.empty(), 0, false, member.getAsBoolean());
                    case "leaderId" -> Optional.empty();
                    case "peers" -> List.of();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    private FragmentReconciler reconcilerOn(ClusterMap map) {
        Fragments fragments = new Fragments(D.id(), map, this::member);
        return new FragmentReconciler(
                D.id(),
                ids,
                host,
                fragments,
                id -> new Fragment(id, CoordinatorSettings.defaults()),
                this::member,
                false,
                new FragmentReconciler.Wiring() {
                    @Override
                    public void wire(Fragment fragment) {}

                    @Override
                    public void unwire(Fragment fragment) {}
                },
                clock::get);
    }

    private Optional<ClusterMember> member(String id) {
        return MEMBERS.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** One fragment founded on A, B, C, to which the map has since added D (this node). */
    private static ClusterMap mapWithAReplicaAddedOnD() {
        ClusterMap founded = ClusterMap.initial(1, List.of(A.id(), B.id(), C.id()), 3);
        ClusterMap.FragmentInfo f = founded.fragment(0).orElseThrow();
        List<String> replicas = new ArrayList<>(f.replicas());
        replicas.add(D.id());
        return founded.with(new ClusterMap.FragmentInfo(f.id(), replicas, true, f.founders(), false));
    }

    /** {@code map} (where D holds a replica of fragment 0) after the fragment moved off D. */
    private static ClusterMap movedOffD(ClusterMap map) {
        ClusterMap.FragmentInfo f = map.fragment(0).orElseThrow();
        List<String> others =
                f.replicas().stream().filter(r -> !r.equals(D.id())).toList();
        return map.with(new ClusterMap.FragmentInfo(f.id(), others, true, f.founders(), false));
    }

    @Test
    void aJoiningReplicaNotAddedInTimeStartsAgainFromNothing() throws Exception {
        ClusterMap map = mapWithAReplicaAddedOnD();
        FragmentReconciler reconciler = reconcilerOn(map);
        String group = ids.groupId(0).toString();

        reconciler.reconcile(map);
        assertThat(host.calls).containsExactly("join " + group);

        clock.addAndGet(FragmentReconciler.JOIN_PATIENCE.toMillis() - 1);
        reconciler.reconcile(map);
        assertThat(host.calls).as("still within its patience").hasSize(1);

        clock.addAndGet(1);
        reconciler.reconcile(map);
        assertThat(host.calls).containsExactly("join " + group, "remove " + group + " with its data", "join " + group);

        // the new replica gets its own patience
        clock.addAndGet(FragmentReconciler.JOIN_PATIENCE.toMillis() / 2);
        reconciler.reconcile(map);
        assertThat(host.calls).hasSize(3);
    }

    @Test
    void aReplicaThatWasAddedStays() throws Exception {
        ClusterMap map = mapWithAReplicaAddedOnD();
        FragmentReconciler reconciler = reconcilerOn(map);

        reconciler.reconcile(map);
        host.joined = true;
        clock.addAndGet(10 * FragmentReconciler.JOIN_PATIENCE.toMillis());
        reconciler.reconcile(map);
        reconciler.reconcile(map);

        assertThat(host.calls).containsExactly("join " + ids.groupId(0));
    }

    @Test
    void aJoiningReplicaTheMapDoesNotPlaceHereIsLeftWaiting() throws Exception {
        // a cluster without placement grows by Raft first and records the new node in the map after: a node started
        // to join waits for that as long as it takes
        ClusterMap founded = ClusterMap.initial(1, List.of(A.id(), B.id(), C.id()), 3);
        ClusterMap withD = mapWithAReplicaAddedOnD();
        FragmentReconciler reconciler = reconcilerOn(withD);
        reconciler.reconcile(withD);
        clock.addAndGet(10 * FragmentReconciler.JOIN_PATIENCE.toMillis());
        reconciler.reconcile(founded);

        assertThat(host.calls).containsExactly("join " + ids.groupId(0));
    }

    /**
     * A replica moved out and straight back in: its group adds it back while this node may still see the map between
     * the two. A replica that still counts itself a member is kept for a grace, so the map that places it back
     * arrives first; deleting its data would leave a voter whose leader never sends it the log again.
     */
    @Test
    void aMemberTheMapMovedAwayIsKeptForAGraceAndStaysWhenPlacedBack() throws Exception {
        ClusterMap withD = mapWithAReplicaAddedOnD();
        ClusterMap withoutD = movedOffD(withD);
        FragmentReconciler reconciler = reconcilerOn(withD);
        String group = ids.groupId(0).toString();
        reconciler.reconcile(withD);
        host.joined = true; // added: a member

        reconciler.reconcile(withoutD);
        clock.addAndGet(FragmentReconciler.REMOVED_GRACE.toMillis() - 1);
        reconciler.reconcile(withoutD);
        reconciler.reconcile(withD); // placed back
        clock.addAndGet(10 * FragmentReconciler.REMOVED_GRACE.toMillis());
        reconciler.reconcile(withD);
        assertThat(host.calls).as("kept: moved back within the grace").containsExactly("join " + group);

        reconciler.reconcile(withoutD);
        clock.addAndGet(FragmentReconciler.REMOVED_GRACE.toMillis());
        reconciler.reconcile(withoutD);
        assertThat(host.calls)
                .as("moved away for the whole grace: it goes")
                .containsExactly("join " + group, "remove " + group + " with its data");
    }

    @Test
    void aReplicaItsGroupRemovedGoesAtOnceWhenTheMapMovedItAway() throws Exception {
        ClusterMap withD = mapWithAReplicaAddedOnD();
        ClusterMap withoutD = movedOffD(withD);
        FragmentReconciler reconciler = reconcilerOn(withD);
        reconciler.reconcile(withD);
        host.joined = true;
        host.removedFromConfiguration = true; // joined once, the group's configuration no longer lists it

        reconciler.reconcile(withoutD);

        assertThat(host.calls).containsExactly("join " + ids.groupId(0), "remove " + ids.groupId(0) + " with its data");
    }
}
