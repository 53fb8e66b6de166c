package io.arbiter.replication.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live threads on three nodes with 1 and then 8 groups of 3 replicas: our own threads do not depend on the number of
 * groups, and what grows is only Ratis's per-division threads (named after the division, {@code n1@group-...}).
 */
class ThreadsPerGroupTest {

    /** Ratis names a division's threads after its member id, e.g. {@code n1@group-0A1B2C3D4E5F-...}. */
    static final Pattern DIVISION = Pattern.compile("@group-[0-9A-Fa-f]{12}");

    /** Ratis's per-division request pool threads: {@code <peer>-server-threadN}. */
    static final Pattern POOL = Pattern.compile("-server-thread\\d+$");

    @TempDir
    Path dir;

    @Test
    void onlyRatisPerDivisionThreadsGrowWithGroups() throws Exception {
        try (TestNodes t = new TestNodes(dir, 3, b -> b)) {
            t.startAll();
            addGroups(t, 0, 1);
            Map<String, Integer> one = census();
            addGroups(t, 1, 8);
            Map<String, Integer> eight = census();
            System.out.println("threads with 1 group: " + one + "\nthreads with 8 groups: " + eight);

            // ours: one scheduler, WORKERS workers and at most IO_MAX I/O threads per node, whatever the number of
            // groups
            assertThat(eight.get("arbiter"))
                    .isLessThanOrEqualTo(3 * (1 + NodeExecutors.WORKERS + NodeExecutors.IO_MAX));
            // Ratis's node-level threads (group management, pause monitor, ...) and the JVM's: the same
            assertThat(eight.get("node")).isLessThanOrEqualTo(one.get("node") + 1);
            // Netty's event loops (server and client side, "...--threadN") start lazily, one per channel registered, up
            // to
            // 2 x cores per event-loop group (Netty's default): bounded by the node count and the cores, not the groups
            int cores = Runtime.getRuntime().availableProcessors();
            assertThat(eight.get("eventloops")).isLessThanOrEqualTo(3 * 2 * 2 * cores);
            // our Raft server side's pool for votes, elections and snapshot chunks: fixed per node (elections of
            // many groups at once queue there instead of adding threads)
            assertThat(eight.get("rpc")).isLessThanOrEqualTo(3 * AsyncNettyServerRpc.BLOCKING_THREADS);
            // Ratis's own per division (measured, Ratis 3.3): log worker, state-machine updater, cache eviction, and a
            // FollowerState (follower) or an event processor plus one appender per follower (leader): 4 + 4 + 6 = 14
            // per
            // 3-replica group; none of them can be shared or turned off by configuration
            assertThat(eight.get("division")).isLessThanOrEqualTo(8 * 14);
            // Ratis's per-division request pools ("<peer>-server-threadN", cached: created on demand, ended after 60 s
            // idle); about one per follower division while heartbeats arrive; allow 2 per division
            assertThat(eight.get("pools")).isLessThanOrEqualTo(8 * 3 * 2);
        }
    }

    private static void addGroups(TestNodes t, int from, int to) throws Exception {
        for (int g = from; g < to; g++) {
            t.addGroup(TestNodes.groupId(g), 0, 1, 2);
        }
        for (int g = from; g < to; g++) {
            t.awaitLeader(TestNodes.groupId(g), 0, 1, 2);
        }
        Thread.sleep(500); // let appenders and timers settle
    }

    /**
     * Live threads of the JVM by kind: ours ({@code arbiter-}), Ratis's per division (named after the division),
     * Ratis's per-division request pools ({@code -server-threadN}), our Raft server side's pool
     * ({@code raft-server-blocking-}), Netty event loops ({@code --threadN}) and the rest (node-level Ratis threads,
     * the JVM's and the test runner's).
     */
    static Map<String, Integer> census() {
        Map<String, Integer> counts =
                new TreeMap<>(Map.of("arbiter", 0, "division", 0, "pools", 0, "eventloops", 0, "rpc", 0, "node", 0));
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            counts.merge(kind(th.getName()), 1, Integer::sum);
        }
        return counts;
    }

    static String kind(String name) {
        if (name.startsWith("arbiter-")) {
            return "arbiter";
        }
        if (DIVISION.matcher(name).find()) {
            return "division";
        }
        if (POOL.matcher(name).find()) {
            return "pools";
        }
        if (name.startsWith(AsyncNettyServerRpc.BLOCKING_THREAD_PREFIX)) {
            return "rpc";
        }
        return name.contains("--thread") ? "eventloops" : "node";
    }
}
