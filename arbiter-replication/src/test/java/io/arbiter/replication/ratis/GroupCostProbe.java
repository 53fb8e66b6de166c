package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Cost per group replica: three {@link RatisNode}s in this JVM (loopback, fsync on, default settings) host G groups
 * of 3 replicas each; threads, heap after a full GC and direct memory are read idle and after a small load (each
 * group's leader keeps 2 proposals in flight for {@code probe.loadSeconds}). Figures per group replica are
 * (value at G - value with the nodes and no group) / (3 G). Not part of the default suite; run with
 * {@code mvn -B -ntp -o -pl arbiter-replication -am test -Dtest=GroupCostProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Dprobe.groups=1,8,32,64} and read the "COST" lines of
 * {@code arbiter-replication/target/surefire-reports/io.arbiter.replication.ratis.GroupCostProbe-output.txt}.
 */
class GroupCostProbe {

    @Test
    void measure() throws Exception {
        int[] sizes = Arrays.stream(
                        System.getProperty("probe.groups", "1,8,32,64").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int loadSeconds = Integer.getInteger("probe.loadSeconds", 5);
        for (int groups : sizes) {
            Path dir = Files.createTempDirectory("cost");
            try (TestNodes t = new TestNodes(dir, 3, b -> b)) {
                t.startAll();
                Thread.sleep(1000);
                long[] base = sample();
                for (int g = 0; g < groups; g++) {
                    t.addGroup(TestNodes.groupId(g), 0, 1, 2);
                }
                for (int g = 0; g < groups; g++) {
                    t.awaitLeader(TestNodes.groupId(g), 0, 1, 2);
                }
                Thread.sleep(3000);
                long[] idle = sample();
                Map<String, Integer> idleThreads = ThreadsPerGroupTest.census();
                long commands = load(t, groups, loadSeconds);
                long[] loaded = sample();
                report(groups, "idle", base, idle, idleThreads.toString());
                report(groups, "load", base, loaded, commands / loadSeconds + " commands/s over all groups");
            }
        }
    }

    /** Each group's leader keeps 2 proposals in flight; returns how many completed. */
    private static long load(TestNodes t, int groups, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        Semaphore[] windows = new Semaphore[groups];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int i = 0;
        while (System.nanoTime() < end) {
            for (int g = 0; g < groups; g++) {
                if (windows[g] == null) {
                    windows[g] = new Semaphore(2);
                }
                Semaphore w = windows[g];
                if (!w.tryAcquire()) {
                    continue;
                }
                UUID id = TestNodes.groupId(g);
                RatisReplicaGroup leader = null;
                for (int n = 0; n < 3 && leader == null; n++) {
                    var r = t.nodes[n].group(id);
                    if (r.isPresent() && r.get().isLeader()) {
                        leader = r.get();
                    }
                }
                if (leader == null) {
                    w.release();
                    continue;
                }
                leader.propose(add("k", "c" + i++)).whenComplete((r, e) -> {
                    done.incrementAndGet();
                    w.release();
                });
            }
            Thread.sleep(1);
        }
        return done.get();
    }

    /** threads, heap used after GC, direct memory used. */
    private static long[] sample() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
        return new long[] {Thread.activeCount(), heap, direct};
    }

    private static void report(int groups, String what, long[] base, long[] now, String extra) {
        int replicas = 3 * groups;
        System.out.printf(
                "COST groups=%d %s: threads %d (+%.1f per replica), heap %.1f MiB (+%.0f KiB per replica), "
                        + "direct %.1f MiB (+%.0f KiB per replica); %s%n",
                groups,
                what,
                now[0],
                (now[0] - base[0]) / (double) replicas,
                now[1] / 1048576.0,
                (now[1] - base[1]) / 1024.0 / replicas,
                now[2] / 1048576.0,
                (now[2] - base[2]) / 1024.0 / replicas,
                extra);
    }
}
