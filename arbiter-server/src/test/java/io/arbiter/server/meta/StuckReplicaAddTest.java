package io.arbiter.server.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicationException;
import io.arbiter.replication.UnreachablePeerException;
import io.arbiter.server.WallClock;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.Delays;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.rpc.PeerTransport;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A replica add that the fragment's leader never gets through (a soak: every Raft attempt ended "NOPROGRESS" for
 * minutes, while another leader added the same replica at once): once the add gives up, leadership goes to the
 * other voter, again while Ratis refuses the transfer, so that the next attempt runs on a new leader. An add that
 * failed because the new node does not answer at all moves nothing (the leader is not what holds it up).
 */
class StuckReplicaAddTest {
    private static final List<ClusterMember> MEMBERS = List.of(
            ClusterMember.fromRaftAddress("10.0.0.1", 9091),
            ClusterMember.fromRaftAddress("10.0.0.2", 9091),
            ClusterMember.fromRaftAddress("10.0.0.3", 9091));
    private static final ClusterMap MAP =
            ClusterMap.initial(2, MEMBERS.stream().map(ClusterMember::id).toList(), 2);

    private static Optional<ClusterMember> member(String id) {
        return MEMBERS.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    private final List<String> voters = MAP.fragment(1).orElseThrow().replicas();
    private final String leader = voters.get(0);
    private final String otherVoter = voters.get(1);
    private final String adding = MEMBERS.stream()
            .map(ClusterMember::id)
            .filter(id -> !voters.contains(id))
            .findFirst()
            .orElseThrow();
    private final AtomicLong clockOffset = new AtomicLong();
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<String> transfers = new CopyOnWriteArrayList<>();

    @Test
    void anAddTheLeaderNeverGetsThroughMovesLeadershipToTheOtherVoter() throws Exception {
        CompletableFuture<Void> add = addFailingWith(() -> new ReplicationException(
                ReplicationException.Reason.FAILED, "a new peer did not catch up: NOPROGRESS"));

        assertThatThrownBy(() -> add.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> transfers.size() == 3);
        assertThat(transfers).as("to the voter that neither leads nor is added").containsOnly(otherVoter);
    }

    @Test
    void anAddToANodeThatDoesNotAnswerLeavesLeadershipWhereItIs() throws Exception {
        CompletableFuture<Void> add = addFailingWith(() -> new UnreachablePeerException(
                adding, "new peer " + adding + " did not respond", new java.net.ConnectException("refused")));

        assertThatThrownBy(() -> add.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        Thread.sleep(1_000); // a hand-over would have been tried at once
        assertThat(transfers).as("no leader change for a node that is down").isEmpty();
    }

    @Test
    void anAddCutByItsDeadlineWhileTheNewNodeStillDoesNotAnswerLeavesLeadershipWhereItIs() throws Exception {
        CompletableFuture<Void> add = addWith(attempt -> {
            if (attempt < 3) {
                clockOffset.addAndGet(14_000);
                return CompletableFuture.failedFuture(new UnreachablePeerException(
                        adding, "new peer " + adding + " did not respond", new java.net.ConnectException("refused")));
            }
            // the last attempt is still probing when the add's 30 s run out
            clockOffset.addAndGet(14_000);
            return new CompletableFuture<>();
        });

        assertThatThrownBy(() -> add.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnreachablePeerException.class);
        assertThat(attempts.get()).isEqualTo(3);
        Thread.sleep(1_000); // a hand-over would have been tried at once
        assertThat(transfers).as("no leader change for a node that is down").isEmpty();
    }

    /** Adds a replica of fragment 1 on {@code adding} through a leader whose every Raft change fails so. */
    private CompletableFuture<Void> addFailingWith(java.util.function.Supplier<ReplicationException> failure) {
        return addWith(attempt -> {
            clockOffset.addAndGet(11_000); // each attempt takes its time, as Ratis's did
            return CompletableFuture.failedFuture(failure.get());
        });
    }

    /** Adds a replica of fragment 1 on {@code adding} through a leader whose Raft changes end as {@code attempt} says. */
    private CompletableFuture<Void> addWith(java.util.function.IntFunction<CompletableFuture<Void>> attempt) {
        ReplicaGroup stuck = (ReplicaGroup) Proxy.newProxyInstance(
                ReplicaGroup.class.getClassLoader(),
                new Class<?>[] {ReplicaGroup.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "leaderId" -> Optional.of(leader);
                    case "isLeader" -> true;
                    case "peers" ->
                        voters.stream()
                                .map(id -> new Peer(id, member(id).orElseThrow().host(), 9091))
                                .toList();
                    case "changePeers" -> attempt.apply(attempts.incrementAndGet());
                    case "transferLeadership" -> {
                        transfers.add((String) args[0]);
                        yield transfers.size() < 3
                                ? CompletableFuture.failedFuture(new ReplicationException(
                                        ReplicationException.Reason.FAILED, "reconfiguration in progress"))
                                : CompletableFuture.completedFuture(null);
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        Fragments fragments = new Fragments(leader, MAP, StuckReplicaAddTest::member);
        Fragment fragment = new Fragment(1, CoordinatorSettings.defaults());
        fragment.attach(stuck);
        fragments.add(fragment);
        PeerTransport noPeers = (peer, request, head, timeout) ->
                CompletableFuture.failedFuture(new IllegalStateException("no peers in this test"));
        FragmentOperations operations = new FragmentOperations(
                fragments,
                new FragmentCommands(
                        new FragmentOperationsTest.EarlyMetaLeader(1, MAP), noPeers, WallClock::millis, Delays.SYSTEM),
                StuckReplicaAddTest::member,
                () -> WallClock.millis() + clockOffset.get());
        return operations.addReplica(1, adding);
    }
}
