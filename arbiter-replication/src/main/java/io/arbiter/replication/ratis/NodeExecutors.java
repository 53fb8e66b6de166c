package io.arbiter.replication.ratis;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a {@link RatisNode} that are ours (not Ratis's), shared by every group the node hosts, so that their
 * number does not depend on the number of groups:
 * <ul>
 *   <li>{@link #scheduler()}, one thread: the 100 ms group ticks, periodic snapshot requests, view refreshes and
 *       group listeners, admin request decisions and retries. Tasks are short and never block.</li>
 *   <li>{@link #workers()}, {@value #WORKERS} threads: batcher drains (submitting entries to Ratis) and the apply
 *       fall-back (entries queued behind a role change or snapshot capture). CPU work only, no blocking I/O.</li>
 *   <li>{@link #io()}, up to {@value #IO_MAX} threads created on demand, ending after 30 s idle: snapshot file
 *       writes, admin requests that block (connecting, probing new peers, in-process Ratis admin calls), group
 *       add/remove.</li>
 * </ul>
 */
final class NodeExecutors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeExecutors.class);
    /** Two cores on the reference machine: one worker per core; Ratis's own threads do the rest. */
    static final int WORKERS = 2;

    static final int IO_MAX = 4;

    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor io;

    NodeExecutors(String nodeName) {
        scheduler = new ScheduledThreadPoolExecutor(1, factory("arbiter-" + nodeName + "-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        workers = new ThreadPoolExecutor(
                WORKERS,
                WORKERS,
                0,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                factory("arbiter-" + nodeName + "-worker-"));
        io = new ThreadPoolExecutor(
                IO_MAX,
                IO_MAX,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                factory("arbiter-" + nodeName + "-io-"));
        io.allowCoreThreadTimeOut(true);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService workers() {
        return workers;
    }

    ExecutorService io() {
        return io;
    }

    /** Daemon threads named {@code prefix} (numbered when it ends with '-'). */
    static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        boolean numbered = prefix.endsWith("-");
        return r -> {
            Thread t = new Thread(r, numbered ? prefix + n.incrementAndGet() : prefix);
            t.setDaemon(true);
            return t;
        };
    }

    /** Lets queued work finish (5 s per executor at most), then stops the threads. */
    @Override
    public void close() {
        for (ExecutorService e : new ExecutorService[] {scheduler, workers, io}) {
            e.shutdown();
        }
        for (ExecutorService e : new ExecutorService[] {scheduler, workers, io}) {
            try {
                if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("node executor did not finish within 5 s; interrupting it");
                    e.shutdownNow();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
    }
}
