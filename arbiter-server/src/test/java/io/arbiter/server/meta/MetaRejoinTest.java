package io.arbiter.server.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ratis.RatisReplicaGroup;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.RatisHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node's meta replica that the group removed (drain) and that later joins again, on real Ratis groups on loopback,
 * wired as {@code ArbiterNode} wires them (one {@link MetaGroup} per node for the node's whole life, its replicas made
 * by {@link MetaGroup#replicaStateMachine}, removed and started by {@link MetaReplicaKeeper}). Every replica must then
 * hold the same map with the same epoch: nodes follow maps by epoch, and a soak run had the re-joined replica (then
 * the meta leader) count 15 epochs more than the others for the same maps, which kept a node on a stale map.
 *
 * <p>The cause: the node's one meta state machine served its second replica too, which then applied the whole log
 * again on top of the map its first replica had left, raising the epoch for every entry that changed that map (here
 * 8 more epochs). A replica that caught up from the leader's snapshot was spared: the restore replaced the map.
 */
class MetaRejoinTest {
    private static final UUID META = new FragmentIds("rejoin").metaGroupId();
    /** Small log segments, so that a snapshot lets the leader purge the log's start. */
    private static final long SEGMENT_BYTES = 8 << 10;

    @TempDir
    Path dir;

    private final List<Node> nodes = new ArrayList<>();

    private final class Node {
        final ClusterMember member;
        final Peer peer;
        final MetaGroup meta;
        final RatisHost host;
        final AtomicLong clock = new AtomicLong();
        final MetaReplicaKeeper keeper;

        Node(int port, List<String> metaMembers) {
            member = ClusterMember.fromRaftAddress("127.0.0.1", port);
            peer = new Peer(member.id(), member.host(), member.raftPort());
            meta = new MetaGroup(member.id(), id -> Optional.of(ClusterMember.fromId(id)), metaMembers);
            host = new RatisHost(
                    ReplicaGroupConfig.builder(META, member.id(), dir.resolve(member.id()))
                            .peers(List.of(peer))
                            .logSegmentSizeBytes(SEGMENT_BYTES)
                            .build(),
                    id -> meta.replicaStateMachine());
            keeper = new MetaReplicaKeeper(meta, host, META, member, clock::get);
        }

        String id() {
            return member.id();
        }

        Path groupDir() {
            return dir.resolve(member.id()).resolve(META.toString());
        }
    }

    @AfterEach
    void close() {
        nodes.forEach(n -> n.host.close());
    }

    @ParameterizedTest(name = "leader log purged before the re-join: {0}")
    @ValueSource(booleans = {false, true})
    void aReplicaThatLeavesAndJoinsAgainCountsTheSameEpochs(boolean purged) throws Exception {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        List<String> ids = ports.stream()
                .map(p -> ClusterMember.idFor("127.0.0.1", p))
                .sorted()
                .toList();
        for (int port : ports) {
            nodes.add(new Node(port, ids));
        }
        List<Peer> all = nodes.stream().map(n -> n.peer).toList();
        for (Node n : nodes) {
            n.host.start();
            n.meta.attach(n.host.addGroup(META, all, false).get(30, TimeUnit.SECONDS));
        }

        // a cluster of three nodes, four fragments with a replica on each node; leaders moved about a little
        propose(new MetaCommand.Bootstrap(initial(ids)));
        Node leaving = awaitNotLeader();
        String stays = others(leaving).get(0).id();
        String other = others(leaving).get(1).id();
        for (int f = 0; f < 4; f++) {
            propose(new MetaCommand.ChangeReplica(f, leaving.id(), MetaCommand.ChangeReplica.Change.PREFER));
        }
        preferInTurn(stays, other, 3);
        // drain the node: its fragment replicas go, then its meta replica
        propose(new MetaCommand.SetDraining(leaving.id(), true));
        for (int f = 0; f < 4; f++) {
            propose(new MetaCommand.ChangeReplica(f, leaving.id(), MetaCommand.ChangeReplica.Change.REMOVE));
        }
        changeMetaPeers(others(leaving));
        awaitMapsAgree(others(leaving));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    leaving.clock.addAndGet(MetaReplicaKeeper.LEAVE_AFTER_MILLIS);
                    leaving.keeper.leaveIfRemoved();
                    return leaving.meta.replica().isEmpty()
                            && leaving.host.groupIds().isEmpty();
                });
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(logFiles(leaving))
                        .as("its storage goes with it")
                        .isEmpty());

        // the cluster goes on without it: leaders moved, the node undrained
        preferInTurn(stays, other, purged ? 60 : 3);
        propose(new MetaCommand.SetDraining(leaving.id(), false));
        if (purged) {
            awaitSnapshotAndPurge();
        }

        // it joins again: a fresh replica, added by the leader, that catches up (from the log or the leader's snapshot)
        leaving.keeper.join().get(60, TimeUnit.SECONDS);
        changeMetaPeers(nodes);
        awaitMapsAgree(nodes);
        if (purged) {
            try (Stream<Path> files = Files.list(leaving.groupDir().resolve("sm"))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("it caught up from the leader's snapshot")
                        .anyMatch(name -> name.startsWith("snapshot."));
            }
        }

        // it gets replicas again, and leads the meta group (as in the soak run)
        for (int f = 0; f < 4; f++) {
            propose(new MetaCommand.ChangeReplica(f, leaving.id(), MetaCommand.ChangeReplica.Change.ADD));
        }
        ReplicaGroup group = leaving.meta.replica().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            if (!group.isLeader()) {
                group.transferLeadership(leaving.id()).get(10, TimeUnit.SECONDS);
            }
            return group.isLeader();
        });
        long epoch = propose(new MetaCommand.ChangeReplica(0, leaving.id(), MetaCommand.ChangeReplica.Change.PREFER));
        awaitMapsAgree(nodes);
        assertThat(nodes).allSatisfy(n -> assertThat(n.meta.map().epoch()).isEqualTo(epoch));
    }

    /** Moves every fragment's preferred leader between two nodes, {@code rounds} times. */
    private void preferInTurn(String a, String b, int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            for (int f = 0; f < 4; f++) {
                propose(new MetaCommand.ChangeReplica(
                        f, round % 2 == 0 ? a : b, MetaCommand.ChangeReplica.Change.PREFER));
            }
        }
    }

    private static ClusterMap initial(List<String> ids) {
        return ClusterMap.initial(4, ids, 3);
    }

    private List<Node> others(Node n) {
        return nodes.stream().filter(o -> o != n).toList();
    }

    private Optional<Node> leader() {
        return nodes.stream().filter(n -> n.meta.isLeader()).findFirst();
    }

    private Node awaitNotLeader() {
        await().atMost(Duration.ofSeconds(30)).until(() -> leader().isPresent());
        Node leader = leader().orElseThrow();
        return nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    }

    /** Proposes on the meta leader (again after a leader change); the epoch it answered. */
    private long propose(MetaCommand command) throws Exception {
        byte[] encoded = MetaCodec.encode(command);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Optional<Node> leader = leader();
            if (leader.isPresent()) {
                try {
                    return MetaStateMachine.epochOrThrow(
                            leader.get().meta.propose(encoded).get(10, TimeUnit.SECONDS));
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no meta leader for " + command);
            }
            Thread.sleep(50);
        }
    }

    private void changeMetaPeers(List<Node> members) {
        List<Peer> peers = members.stream().map(n -> n.peer).toList();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            ReplicaGroup g = leader().orElseThrow().meta.replica().orElseThrow();
            g.changePeers(peers).get(30, TimeUnit.SECONDS);
            return true;
        });
    }

    /** Every replica of {@code members} holds the same map, epoch included. */
    private static void awaitMapsAgree(List<Node> members) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ClusterMap first = members.get(0).meta.map();
            assertThat(first).isNotNull();
            for (Node n : members) {
                assertThat(n.meta.map()).as("map on " + n.id()).isEqualTo(first);
            }
        });
    }

    /** The meta leader takes a snapshot and purges its log up to it: a new replica can only catch up from that. */
    private void awaitSnapshotAndPurge() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Node leader = leader().orElse(null);
                    if (leader == null) {
                        return false;
                    }
                    RatisReplicaGroup group =
                            (RatisReplicaGroup) leader.meta.replica().orElseThrow();
                    group.requestSnapshot();
                    try (Stream<Path> files = Files.list(leader.groupDir().resolve("current"))) {
                        return files.map(p -> p.getFileName().toString())
                                .filter(name -> name.startsWith("log_"))
                                .noneMatch(name -> name.startsWith("log_0-") || name.equals("log_inprogress_0"));
                    }
                });
    }

    private static List<String> logFiles(Node n) throws IOException {
        if (!Files.exists(n.groupDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(n.groupDir())) {
            return files.filter(Files::isRegularFile).map(Path::toString).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
