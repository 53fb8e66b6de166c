package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.server.fragment.Fragment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that its Raft group removes and then adds back while the node's cluster map places it there all along —
 * what a node sees of a move out and in, or of a drain undone, when it follows only the last of the maps (a node
 * that is not a meta member polls the newest one). Ratis shuts the removed replica down, so the leader's add
 * catches up nothing until the node starts a new replica. A soak saw leaders retry their snapshot to such closed
 * replicas thousands of times while the node waited 10 s before it replaced them; the node now replaces the replica
 * a few seconds after its removal, and the add gets through.
 */
class ReplicaRemovedAndAddedBackTest {
    @TempDir
    Path dataDir;

    private final List<ArbiterNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(ArbiterNode::close);
    }

    @Test
    void aReplicaClosedByItsRemovalIsReplacedSoonAfterWhenTheMapStillPlacesIt() throws Exception {
        nodes.addAll(TestNodes.startCluster(
                dataDir, 3, Map.of("arbiter.fragments", "2", "arbiter.placement.enabled", "false")));
        int id = 1;
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        nodes.stream().allMatch(n -> n.fragments().local(id).isPresent()) && leader(id) != null);
        Fragment leader = leader(id);
        ArbiterNode other = nodes.stream()
                .filter(n -> !n.fragments().local(id).orElseThrow().isLeader())
                .findFirst()
                .orElseThrow();
        String node = other.config().selfId();
        Fragment removed = other.fragments().local(id).orElseThrow();
        List<Peer> all = leader.group().peers();
        List<Peer> without = all.stream().filter(p -> !p.id().equals(node)).toList();

        leader.group().changePeers(all, without).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> removed.group().stoppedByReplication());
        long start = System.nanoTime();
        // the add back, retried as FragmentOperations does while it fails
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        leader.group().changePeers(without, all).get(30, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) {
                        return leader.group().peers().size() == all.size();
                    }
                });
        await().atMost(Duration.ofSeconds(60))
                .until(() -> other.fragments()
                        .local(id)
                        .map(f -> f != removed && f.group().view().member())
                        .orElse(false));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "replica of fragment %d on %s closed by its removal, replaced and added back %d ms later%n",
                id, node, millis);
        assertThat(millis)
                .as("replaced after the 3 s grace and caught up by the add, not after the former 10 s wait")
                .isLessThan(8_000);
        assertThat(leader.group().peers()).hasSize(3);
    }

    private Fragment leader(int id) {
        return nodes.stream()
                .flatMap(n -> n.fragments().local(id).stream())
                .filter(Fragment::isLeader)
                .findFirst()
                .orElse(null);
    }
}
