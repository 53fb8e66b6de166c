package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Single-group throughput and latency of a 3-replica group in one JVM (loopback, fsync on): one client thread keeps
 * {@code bench.window} proposals outstanding on the leader. Not part of the default suite (the name does not end in
 * Test); run with
 * {@code mvn -B -ntp -o -pl arbiter-replication -am test -Dtest=ThroughputBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbench.window=8,64,256 -Dbench.warmup=10 -Dbench.seconds=15}; figures are printed to the test output file.
 */
class ThroughputBench {

    @Test
    void measure() throws Exception {
        int[] windows = Arrays.stream(
                        System.getProperty("bench.window", "8,256").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int warmup = Integer.getInteger("bench.warmup", 10);
        int seconds = Integer.getInteger("bench.seconds", 15);
        Path dir = Files.createTempDirectory("bench");
        try (TestCluster c = new TestCluster(dir, 3, b -> b)) {
            c.startAll();
            RatisReplicaGroup leader = c.groups[c.awaitLeader()];
            run(leader, windows[windows.length - 1], warmup, "warm-up");
            for (int w : windows) {
                run(leader, w, seconds, "measured");
            }
        }
    }

    private static void run(RatisReplicaGroup leader, int window, int seconds, String what) throws Exception {
        Semaphore slots = new Semaphore(window);
        long[] latencies = new long[4_000_000];
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        int i = 0;
        while (System.nanoTime() < end) {
            slots.acquire();
            long t0 = System.nanoTime();
            leader.propose(add("k", "x" + i++)).whenComplete((r, e) -> {
                long n = done.getAndIncrement();
                if (e != null) {
                    failed.incrementAndGet();
                } else if (n < latencies.length) {
                    latencies[(int) n] = System.nanoTime() - t0;
                }
                slots.release();
            });
        }
        slots.acquire(window);
        double secs = (System.nanoTime() - start) / 1e9;
        int n = (int) Math.min(done.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf(
                "BENCH %s window %d: %.0f commands/s, p50 %.2f ms, p99 %.2f ms, failed %d%n",
                what, window, done.get() / secs, sorted[n / 2] / 1e6, sorted[(int) (n * 0.99)] / 1e6, failed.get());
    }
}
