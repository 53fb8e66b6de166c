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
import java.util.function.UnaryOperator;

/** An {@code n}-replica group in one JVM on loopback ports, one storage directory per replica. */
final class TestCluster implements AutoCloseable {

  final List<ReplicaGroupConfig> configs = new ArrayList<>();
  final RatisReplicaGroup[] groups;
  final CounterStateMachine[] machines;

  TestCluster(Path dir, int n, UnaryOperator<ReplicaGroupConfig.Builder> tune) {
    List<ReplicaGroupConfig.Peer> peers = TestGroups.peers(n);
    for (ReplicaGroupConfig.Peer p : peers) {
      configs.add(tune.apply(ReplicaGroupConfig.builder(TestGroups.GROUP, p.id(), dir.resolve(p.id())).peers(peers))
          .build());
    }
    groups = new RatisReplicaGroup[n];
    machines = new CounterStateMachine[n];
  }

  void startAll() {
    for (int i = 0; i < groups.length; i++) {
      start(i);
    }
  }

  /** Starts replica {@code i} with a fresh state machine on its (possibly used) directory. */
  void start(int i) {
    machines[i] = new CounterStateMachine();
    groups[i] = new RatisReplicaGroup(configs.get(i), machines[i]);
    try {
      groups[i].start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void stop(int i) {
    groups[i].close();
  }

  /** Waits until exactly one running replica leads and returns its index. */
  int awaitLeader() {
    int[] leader = new int[1];
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      int found = -1;
      for (int i = 0; i < groups.length; i++) {
        if (groups[i] != null && groups[i].isLeader()) {
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

  String id(int i) {
    return configs.get(i).selfId();
  }

  @Override
  public void close() {
    for (RatisReplicaGroup g : groups) {
      if (g != null) {
        g.close();
      }
    }
  }
}
