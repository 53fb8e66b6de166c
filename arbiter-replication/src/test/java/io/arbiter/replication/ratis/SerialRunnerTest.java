package io.arbiter.replication.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SerialRunnerTest {

    @Test
    void anIdleRunnerRunsTheTaskOnTheCallersThread() {
        try (SerialRunner runner = new SerialRunner("serial-test")) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            runner.runOrQueue(() -> ranOn.set(Thread.currentThread()));
            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        }
    }

    @Test
    void executeRunsOnTheRunnersThread() throws Exception {
        try (SerialRunner runner = new SerialRunner("serial-test")) {
            AtomicReference<String> ranOn = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            runner.execute(() -> {
                ranOn.set(Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ranOn.get()).isEqualTo("serial-test");
        }
    }

    @Test
    void aTaskGivenWhileAnotherRunsWaitsForItAndRunsAfterIt() throws Exception {
        try (SerialRunner runner = new SerialRunner("serial-test")) {
            CountDownLatch firstStarted = new CountDownLatch(1);
            CountDownLatch releaseFirst = new CountDownLatch(1);
            List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
            runner.execute(() -> {
                firstStarted.countDown();
                await(releaseFirst);
                order.add("first");
            });
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            AtomicReference<String> secondRanOn = new AtomicReference<>();
            runner.runOrQueue(() -> {
                order.add("second");
                secondRanOn.set(Thread.currentThread().getName());
            });
            assertThat(order)
                    .as("queued, not run on the caller while the first runs")
                    .isEmpty();
            releaseFirst.countDown();
            org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> order.size() == 2);
            assertThat(order).containsExactly("first", "second");
            assertThat(secondRanOn.get()).isEqualTo("serial-test");
        }
    }

    @Test
    void manySubmittersNeverOverlapAndEachOnesTasksRunInOrder() throws Exception {
        int submitters = 6;
        int perSubmitter = 20_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        long[] lastSeen = new long[submitters];
        int[] outOfOrder = new int[1];
        int[] ran = new int[1]; // plain field: the runner's serial order must publish it
        try (SerialRunner runner = new SerialRunner("serial-test")) {
            CyclicBarrier start = new CyclicBarrier(submitters);
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                int submitter = s;
                Thread t = new Thread(() -> {
                    await(start);
                    for (int i = 1; i <= perSubmitter; i++) {
                        long seq = i;
                        Runnable task = () -> {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            if (lastSeen[submitter] != seq - 1) {
                                outOfOrder[0]++;
                            }
                            lastSeen[submitter] = seq;
                            ran[0]++;
                            inside.decrementAndGet();
                        };
                        if (i % 3 == 0) {
                            runner.execute(task);
                        } else {
                            runner.runOrQueue(task);
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(30_000);
            }
            CountDownLatch drained = new CountDownLatch(1);
            runner.execute(drained::countDown);
            assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
            int[] total = new int[1];
            CountDownLatch read = new CountDownLatch(1);
            runner.execute(() -> {
                total[0] = ran[0];
                read.countDown();
            });
            assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            assertThat(outOfOrder[0]).isZero();
            assertThat(total[0]).isEqualTo(submitters * perSubmitter);
        }
    }

    @Test
    void closeLetsQueuedWorkFinishThenRefusesNewWork() throws Exception {
        SerialRunner runner = new SerialRunner("serial-test");
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        runner.execute(() -> {
            await(release);
            ran.incrementAndGet();
        });
        runner.execute(ran::incrementAndGet);
        new Thread(() -> {
                    sleep(100);
                    release.countDown();
                })
                .start();
        assertThat(runner.close(5_000)).isTrue();
        assertThat(ran).hasValue(2);
        assertThatThrownBy(() -> runner.runOrQueue(ran::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
