package io.arbiter.replication.ratis;

import static io.arbiter.replication.CounterStateMachine.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbiter.replication.CounterStateMachine;
import io.arbiter.replication.ReplicationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that keeps proposing "add key id" commands to whichever replica leads now, with a bounded number in
 * flight, as a gateway would. Failed commands are not retried (each command has its own id), so the test can check
 * that every acknowledged command is in every replica's state and that none was applied twice.
 */
final class ProposalLoad implements AutoCloseable {

    private final TestCluster cluster;
    private final String key;
    private final Semaphore window;
    private final Thread thread;
    private final List<CompletableFuture<byte[]>> all = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();
    private volatile boolean stopped;
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> failures = new ConcurrentSkipListMap<>();
    final AtomicInteger proposed = new AtomicInteger();

    ProposalLoad(TestCluster cluster, String key, int window) {
        this.cluster = cluster;
        this.key = key;
        this.window = new Semaphore(window);
        this.thread = new Thread(this::run, "load-" + key);
        this.thread.setDaemon(true);
    }

    ProposalLoad start() {
        thread.start();
        return this;
    }

    private void run() {
        int i = 0;
        while (!stopped) {
            try {
                Optional<RatisReplicaGroup> leader = cluster.leaderNow();
                if (leader.isEmpty() || !window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    Thread.sleep(10);
                    continue;
                }
                String id = key + "-" + i++;
                CompletableFuture<byte[]> f = leader.get().propose(add(key, id));
                proposed.incrementAndGet();
                synchronized (all) {
                    all.add(f);
                    targets.add(id + "@" + leader.get().view().selfId());
                }
                f.whenComplete((r, e) -> {
                    window.release();
                    if (e == null) {
                        acknowledged.add(id);
                    } else {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        String reason = cause instanceof ReplicationException re ? "/" + re.reason() : "";
                        failures.merge(cause.getClass().getSimpleName() + reason, 1, Integer::sum);
                        if (cause instanceof ReplicationException re
                                && re.reason() != ReplicationException.Reason.NOT_LEADER
                                && re.reason() != ReplicationException.Reason.INDETERMINATE) {
                            System.out.println(id + " failed: " + cause);
                        }
                    }
                });
                if (f.isCompletedExceptionally()) {
                    Thread.sleep(10); // not the leader any more: look again shortly
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until {@code more} further commands were acknowledged. */
    void awaitAcknowledged(int more) {
        int target = acknowledged.size() + more;
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= target);
    }

    /** Stops proposing; every proposal made must complete (success or failure) within 20 s. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join(5000);
        List<CompletableFuture<byte[]>> copy;
        synchronized (all) {
            copy = List.copyOf(all);
        }
        try {
            CompletableFuture.allOf(
                            copy.stream().map(f -> f.handle((r, e) -> null)).toArray(CompletableFuture[]::new))
                    .get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            List<String> pending = new ArrayList<>();
            synchronized (all) {
                for (int i = 0; i < all.size(); i++) {
                    if (!all.get(i).isDone()) {
                        pending.add(targets.get(i));
                    }
                }
            }
            StringBuilder dump = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, st) -> {
                if (t.getName().startsWith("arbiter") || t.getName().contains("@group")) {
                    dump.append(t.getName()).append(" ").append(t.getState()).append('\n');
                    for (StackTraceElement el : st) {
                        dump.append("    ").append(el).append('\n');
                    }
                }
            });
            System.out.println("THREADS\n" + dump);
            throw new AssertionError("proposals never completed: " + pending, e);
        }
    }

    /** Every acknowledged command is in {@code m}'s state, and nothing was applied twice. */
    void assertComplete(CounterStateMachine m) {
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.stream().allMatch(m::hasId));
        assertThat(m.duplicates).hasValue(0);
    }

    @Override
    public void close() throws InterruptedException {
        if (!stopped) {
            stop();
        }
    }

    @Override
    public String toString() {
        return "proposed " + proposed + ", acknowledged " + acknowledged.size() + ", failures " + failures;
    }
}
