package io.arbiter.replication.ratis;

import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.ReplicaGroupConfig;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code n} {@link RatisNode}s in one JVM on loopback ports, one storage root each, each group's state machine a
 * {@link CounterStateMachine} recorded per node and group (a restarted node gets fresh ones).
 */
final class TestNodes implements AutoCloseable {

    final List<Peer> peers;
    final RatisNode[] nodes;
    private final List<ReplicaGroupConfig> settings = new ArrayList<>();
    private final List<Map<UUID, CounterStateMachine>> machines = new ArrayList<>();

    TestNodes(Path dir, int n, UnaryOperator<ReplicaGroupConfig.Builder> tune) {
        peers = TestGroups.peers(n);
        nodes = new RatisNode[n];
        for (Peer p : peers) {
            // the group id and peer list of node settings are ignored, except this node's own entry
            settings.add(tune.apply(ReplicaGroupConfig.builder(TestGroups.GROUP, p.id(), dir.resolve(p.id()))
                            .peers(List.of(p)))
                    .build());
            machines.add(new ConcurrentHashMap<>());
        }
    }

    ReplicaGroupConfig settings(int i) {
        return settings.get(i);
    }

    /** Starts node {@code i} (again) with fresh state machines. */
    synchronized RatisNode start(int i) {
        Map<UUID, CounterStateMachine> mine = machines.get(i);
        mine.clear();
        nodes[i] = new RatisNode(settings.get(i), id -> mine.computeIfAbsent(id, x -> new CounterStateMachine()));
        try {
            nodes[i].start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nodes[i];
    }

    void startAll() {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
    }

    synchronized void stop(int i) {
        nodes[i].close();
    }

    CounterStateMachine machine(int node, UUID group) {
        return machines.get(node).get(group);
    }

    RatisReplicaGroup group(int node, UUID group) {
        return nodes[node].group(group).orElseThrow(() -> new AssertionError("no group " + group + " on node " + node));
    }

    List<Peer> peers(int... indices) {
        List<Peer> list = new ArrayList<>();
        for (int i : indices) {
            list.add(peers.get(i));
        }
        return list;
    }

    /** Adds {@code group} on each of {@code on} with those nodes as its initial peers. */
    void addGroup(UUID group, int... on) throws Exception {
        for (int i : on) {
            nodes[i].addGroup(group, peers(on), false).get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until exactly one of {@code on} leads {@code group} and returns its index. */
    int awaitLeader(UUID group, int... on) {
        int[] leader = new int[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            int found = -1;
            for (int i : on) {
                var g = nodes[i].group(group);
                if (g.isPresent() && g.get().isLeader()) {
                    if (found >= 0) {
                        return false;
                    }
                    found = i;
                }
            }
            leader[0] = found;
            return found >= 0;
        });
        return leader[0];
    }

    static UUID groupId(int i) {
        return ReplicaGroupConfig.groupIdOf("fragment-" + i);
    }

    @Override
    public synchronized void close() {
        for (RatisNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }
}
