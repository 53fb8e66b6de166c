package io.arbiter.replication.ratis;

import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.ReplicaGroupConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An {@code n}-replica group in one JVM on loopback ports, one storage directory per replica, plus {@code joiners}
 * more replicas configured to join it later ({@link ReplicaGroupConfig#joining()}), with ids after the members'.
 * Methods that start, stop or look for replicas are synchronized so that a load thread sees the current ones.
 */
final class TestCluster implements AutoCloseable {

    final List<ReplicaGroupConfig> configs = new ArrayList<>();
    final List<ReplicaGroupConfig.Peer> peers;
    final RatisReplicaGroup[] groups;
    final CounterStateMachine[] machines;
    private final int members;

    TestCluster(Path dir, int n, UnaryOperator<ReplicaGroupConfig.Builder> tune) {
        this(dir, n, 0, tune);
    }

    TestCluster(Path dir, int n, int joiners, UnaryOperator<ReplicaGroupConfig.Builder> tune) {
        this.members = n;
        this.peers = TestGroups.peers(n + joiners);
        List<ReplicaGroupConfig.Peer> initial = peers.subList(0, n);
        for (int i = 0; i < peers.size(); i++) {
            ReplicaGroupConfig.Peer p = peers.get(i);
            ReplicaGroupConfig.Builder b = ReplicaGroupConfig.builder(TestGroups.GROUP, p.id(), dir.resolve(p.id()));
            b = i < n ? b.peers(initial) : b.peers(List.of(p)).joining(true);
            configs.add(tune.apply(b).build());
        }
        groups = new RatisReplicaGroup[peers.size()];
        machines = new CounterStateMachine[peers.size()];
    }

    /** Starts the initial members (not the joiners). */
    void startAll() {
        for (int i = 0; i < members; i++) {
            start(i);
        }
    }

    /** Starts replica {@code i} with a fresh state machine on its (possibly used) directory. */
    synchronized void start(int i) {
        machines[i] = new CounterStateMachine();
        groups[i] = new RatisReplicaGroup(configs.get(i), machines[i]);
        try {
            groups[i].start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void stop(int i) {
        groups[i].close();
    }

    /** The replica that leads now, if one does. */
    synchronized Optional<RatisReplicaGroup> leaderNow() {
        for (RatisReplicaGroup g : groups) {
            if (g != null && g.isLeader()) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** Waits until exactly one running replica leads and returns its index. */
    int awaitLeader() {
        int[] leader = new int[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            int found = -1;
            synchronized (this) {
                for (int i = 0; i < groups.length; i++) {
                    if (groups[i] != null && groups[i].isLeader()) {
                        if (found >= 0) {
                            return false;
                        }
                        found = i;
                    }
                }
            }
            leader[0] = found;
            return found >= 0;
        });
        return leader[0];
    }

    String id(int i) {
        return configs.get(i).selfId();
    }

    /** The peers with these indices, in this order. */
    List<ReplicaGroupConfig.Peer> peers(int... indices) {
        List<ReplicaGroupConfig.Peer> list = new ArrayList<>();
        for (int i : indices) {
            list.add(peers.get(i));
        }
        return list;
    }

    @Override
    public synchronized void close() {
        for (RatisReplicaGroup g : groups) {
            if (g != null) {
                g.close();
            }
        }
    }
}
