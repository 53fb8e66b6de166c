package io.arbiter.server.sim;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.Xids;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.rpc.PeerTransport;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The simulated cluster of {@link FragmentSimulation}: its nodes and fragment logs on one seeded loop, the peer
 * network between the nodes (lost, duplicated and delayed messages), and leader deaths, also in the middle of a
 * lock acquisition.
 *
 * <p>Threading: single-threaded, driven by the {@link SimLoop}.
 */
abstract class SimCluster {
    static final int NODES = 4;
    static final int FRAGMENTS = 12;
    static final int REPLICAS = 3;
    static final long WORKLOAD_MILLIS = 30_000;
    static final long QUIET_MILLIS = 80_000;
    static final String RESOURCE = "jdbc:mysql://db/shop";

    final long seed;
    final SimLoop loop;
    final long start;
    final CoordinatorSettings settings = new CoordinatorSettings(200, 2_000, 3_000, -1, -1);
    final Map<String, SimNode> nodes = new LinkedHashMap<>();
    final Map<Integer, SimLog> logs = new TreeMap<>();
    final List<String> nodeIds = new ArrayList<>();
    ClusterMap map;
    boolean faults = true;
    long stopWorkloadAt;
    // fault rates of the network
    double drop = 0.03;
    double duplicate = 0.03;
    int transactions;
    int conflicts;
    int events;
    int leaderChanges;
    int mapChanges;
    int crashes;
    /** Nodes down now (crashed, not yet restarted). */
    final Set<String> down = new HashSet<>();

    SimCluster(long seed) {
        this.seed = seed;
        this.loop = new SimLoop(seed);
        this.start = loop.now();
    }

    Optional<ClusterMember> member(String id) {
        return nodeIds.contains(id)
                ? Optional.of(new ClusterMember(id, "sim-" + id, 8091, 7091, 9091))
                : Optional.empty();
    }

    void every(long first, long period, Runnable action) {
        loop.later(first, new Runnable() {
            @Override
            public void run() {
                action.run();
                loop.later(period, this);
            }
        });
    }

    // ---- the network ----

    long latency() {
        return loop.chance(0.05) ? loop.between(100, 1_500) : loop.between(1, 15);
    }

    /** Node {@code from}'s link to its peers: lost, duplicated and delayed messages both ways. */
    PeerTransport transport(String from) {
        return (peer, request, head, timeout) -> {
            CompletableFuture<SeataMessage> answer = new CompletableFuture<>();
            loop.later(timeout.toMillis(), () -> answer.completeExceptionally(new TimeoutException("no answer")));
            if (!up(from) || !up(peer.id())) {
                loop.later(latency(), () -> answer.completeExceptionally(new ConnectException("node down")));
                return answer;
            }
            if (loop.chance(drop / 3)) {
                loop.later(latency(), () -> answer.completeExceptionally(new ConnectException("reset")));
                return answer;
            }
            int copies = loop.chance(duplicate) ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                if (loop.chance(drop)) {
                    continue; // the request is lost
                }
                loop.later(
                        latency(),
                        () -> nodes.get(peer.id()).receive(request, head).whenComplete((reply, error) -> {
                            if (error == null && up(peer.id()) && !loop.chance(drop)) {
                                loop.later(latency(), () -> answer.complete(reply));
                            }
                        }));
            }
            return answer;
        };
    }

    // ---- leader changes ----

    void scheduleLeaderChanges() {
        loop.later(loop.between(500, 3_000), () -> {
            if (!faults) {
                return;
            }
            killLeader(loop.random.nextInt(FRAGMENTS));
            scheduleLeaderChanges();
        });
    }

    /** A leader dies while a branch's locks are being taken: the lock fragment's, or the transaction's. */
    void onPropose(SimLog log, io.arbiter.core.command.Command command) {
        if (faults && command instanceof io.arbiter.core.command.Command.AcquireLocks a && loop.chance(0.08)) {
            int victim = loop.chance(0.5) ? log.fragmentId : Xids.fragmentOf(a.transactionId());
            loop.later(loop.between(0, 6), () -> killLeader(victim));
        }
    }

    // ---- node crashes ----

    boolean up(String nodeId) {
        return !down.contains(nodeId);
    }

    /** Now and then one node goes down for 5 to 20 s (one at a time: every fragment keeps a majority). */
    void scheduleCrashes() {
        loop.later(loop.between(4_000, 9_000), () -> {
            if (!faults) {
                return;
            }
            if (down.isEmpty()) {
                crash(nodeIds.get(loop.random.nextInt(NODES)), loop.between(5_000, 20_000));
            }
            scheduleCrashes();
        });
    }

    /**
     * Node {@code id} is down for {@code millis}: no peer message reaches it or leaves it, no client uses it, the
     * fragments it led elect another replica; then it is back and its replicas catch up from the log.
     */
    void crash(String id, long millis) {
        down.add(id);
        crashes++;
        for (SimLog log : logs.values()) {
            if (id.equals(log.leader())) {
                leaderChanges++;
                log.changeLeader(upReplica(log), loop.between(200, 1_200));
            }
        }
        loop.later(millis, () -> {
            down.remove(id);
            for (SimLog log : logs.values()) {
                SimLog.Replica r = log.replicas.get(id);
                if (r != null) {
                    r.catchUp();
                }
            }
        });
    }

    private String upReplica(SimLog log) {
        List<String> ups = log.replicas.keySet().stream().filter(this::up).toList();
        return ups.get(loop.random.nextInt(ups.size()));
    }

    // ---- map changes ----

    /**
     * The cluster map changes while requests are in flight: a fragment's preferred leader moves (its replica list
     * turns) and it stops or starts taking begins (at least two keep taking them); each node learns the new map
     * after its own delay, so nodes route with different epochs for a while (a late, older map is not taken).
     */
    void scheduleMapChanges() {
        loop.later(loop.between(1_500, 4_000), () -> {
            if (!faults) {
                return;
            }
            ClusterMap.FragmentInfo info =
                    map.fragments().get(loop.random.nextInt(map.fragments().size()));
            List<String> turned = new ArrayList<>(info.replicas());
            turned.add(turned.remove(0));
            long accepting = map.fragments().stream()
                    .filter(ClusterMap.FragmentInfo::takesBegins)
                    .count();
            boolean accepts = info.lockOnly() || (info.acceptsBegins() ? accepting <= 2 : true);
            ClusterMap next = map.with(info.withReplicas(turned).withAcceptsBegins(accepts));
            map = next;
            mapChanges++;
            for (SimNode node : nodes.values()) {
                loop.later(loop.between(0, 1_500), () -> {
                    if (node.fragments.map().epoch() < next.epoch()) {
                        node.fragments.setMap(next);
                    }
                });
            }
            scheduleMapChanges();
        });
    }

    void killLeader(int fragment) {
        SimLog log = logs.get(fragment);
        String next = upReplica(log);
        leaderChanges++;
        log.changeLeader(next, loop.between(50, 1_200));
    }
}
