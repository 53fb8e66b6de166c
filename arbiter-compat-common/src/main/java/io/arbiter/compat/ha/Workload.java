package io.arbiter.compat.ha;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.client.TccParticipant;
import io.arbiter.compat.db.Inventory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A steady load of application transactions through the real Seata client, each worker thread running one
 * transaction after another as an application's {@code @GlobalTransactional} method would (TransactionalTemplate's
 * steps: begin, business, rollback if the business failed, commit, and treat a commit status of Finished or
 * TimeoutRollback* as a failure):
 * <ul>
 *   <li>AT workers sell 1–5 units of a random item ({@link Inventory#sell}: one AT branch that updates a stock row
 *       and inserts an order row carrying the XID);</li>
 *   <li>TCC workers call {@link TccParticipant#tryA} and {@link TccParticipant#tryB} with a fresh tag (two TCC
 *       branches), then commit.</li>
 * </ul>
 * Every transaction is recorded ({@link TxRecord}) with its XID, timings and outcome. Nothing is retried: a
 * failure is what the application would see.
 *
 * <p>Threading: {@link #start} and {@link #stop} from the test thread; the workers are its own threads.
 */
public final class Workload {
    /** Statuses after which TransactionalTemplate returns normally from a commit. */
    public static final Set<String> COMMITTED_STATUSES =
            Set.of("Committed", "AsyncCommitting", "Committing", "CommitRetrying");

    /** A worker whose transaction failed waits this long before its next one. */
    static final long FAILURE_BACKOFF_MS = 100;

    private final CompatClient client;
    private final DataSource at;
    private final int atWorkers;
    private final int tccWorkers;
    private final int items;
    private final int txTimeoutMs;
    private final ConcurrentLinkedQueue<TxRecord> records = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40) << 20);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param at          the AT proxy of the inventory database
     * @param items       the number of stock rows (items 1..items)
     * @param txTimeoutMs the global transaction timeout each begin asks for
     */
    public Workload(CompatClient client, DataSource at, int atWorkers, int tccWorkers, int items, int txTimeoutMs) {
        this.client = client;
        this.at = at;
        this.atWorkers = atWorkers;
        this.tccWorkers = tccWorkers;
        this.items = items;
        this.txTimeoutMs = txTimeoutMs;
    }

    public synchronized void start() {
        running = true;
        for (int w = 0; w < atWorkers + tccWorkers; w++) {
            int worker = w;
            TxRecord.Kind kind = w < atWorkers ? TxRecord.Kind.AT : TxRecord.Kind.TCC;
            Thread t = new Thread(() -> loop(worker, kind), "ha-" + kind.name().toLowerCase() + "-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Tells the workers to stop after their current transaction and waits for them (at most {@code wait}). */
    public synchronized void stop(Duration wait) throws InterruptedException {
        running = false;
        Workers.join(threads, wait);
    }

    /**
     * Waits until the load has committed at least one transaction of each kind it runs (the first AT sale of a
     * fresh client loads table metadata and opens connections, which takes seconds on a busy machine): a fault
     * injected before that would find nothing under way and could leave a short run with no commit of a kind at
     * all. Fails naming the kinds still without a commit after {@code max}.
     *
     * @return how long the wait took
     */
    public Duration awaitFirstCommits(Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        while (true) {
            List<TxRecord.Kind> missing = kindsWithoutCommit();
            if (missing.isEmpty()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the load committed no " + missing + " transaction within " + max
                        + " of starting; records so far: " + records.size());
            }
            Thread.sleep(20);
        }
    }

    private List<TxRecord.Kind> kindsWithoutCommit() {
        List<TxRecord.Kind> missing = new ArrayList<>();
        if (atWorkers > 0 && records.stream().noneMatch(r -> r.committed() && r.kind() == TxRecord.Kind.AT)) {
            missing.add(TxRecord.Kind.AT);
        }
        if (tccWorkers > 0 && records.stream().noneMatch(r -> r.committed() && r.kind() == TxRecord.Kind.TCC)) {
            missing.add(TxRecord.Kind.TCC);
        }
        return missing;
    }

    public int workers() {
        return atWorkers + tccWorkers;
    }

    /** Every transaction finished so far, in completion order. */
    public List<TxRecord> records() {
        return List.copyOf(records);
    }

    private void loop(int worker, TxRecord.Kind kind) {
        while (running) {
            TxRecord r = runOnce(kind, worker);
            records.add(r);
            if (!r.committed()) {
                pause(FAILURE_BACKOFF_MS); // about one transaction's time: fast failures do not flood the count
            }
        }
    }

    /** Runs one transaction of {@code kind} on the calling thread and returns its record (not kept here). */
    public TxRecord runOnce(TxRecord.Kind kind, int worker) {
        client.unbind(); // a failed transaction must not leak its XID into the next one
        try {
            return kind == TxRecord.Kind.AT ? sale(worker) : tcc(worker);
        } finally {
            client.unbind();
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TxRecord sale(int worker) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long orderId = ids.incrementAndGet();
        int item = 1 + random.nextInt(items);
        int units = 1 + random.nextInt(5);
        return run(TxRecord.Kind.AT, worker, String.valueOf(orderId), xid -> {
            if (!Inventory.sell(at, orderId, xid, item, units)) {
                throw new IllegalStateException("item " + item + " is out of stock");
            }
        });
    }

    private TxRecord tcc(int worker) {
        String tag = "ha-" + ids.incrementAndGet();
        return run(TxRecord.Kind.TCC, worker, tag, xid -> {
            client.tcc().tryA(tag);
            client.tcc().tryB(tag);
        });
    }

    private interface Business {
        void run(String xid) throws Exception;
    }

    private TxRecord run(TxRecord.Kind kind, int worker, String tag, Business business) {
        long start = System.nanoTime();
        long begun = 0;
        String xid = null;
        String stage = "begin";
        try {
            GlobalTx tx = client.begin("ha-" + kind.name().toLowerCase(), txTimeoutMs);
            begun = System.nanoTime();
            xid = tx.xid();
            stage = "business";
            try {
                business.run(xid);
            } catch (Exception | Error e) {
                String rollback = "";
                try {
                    rollback = " (rollback: " + tx.rollback() + ")";
                } catch (Exception r) {
                    rollback = " (rollback failed: " + chain(r) + ")";
                }
                return new TxRecord(
                        kind,
                        worker,
                        xid,
                        tag,
                        start,
                        begun,
                        System.nanoTime(),
                        TxRecord.Outcome.FAILED,
                        stage,
                        null,
                        chain(e) + rollback);
            }
            stage = "commit";
            String status = tx.commit();
            long end = System.nanoTime();
            if (COMMITTED_STATUSES.contains(status)) {
                return new TxRecord(
                        kind, worker, xid, tag, start, begun, end, TxRecord.Outcome.COMMITTED, null, status, null);
            }
            return new TxRecord(
                    kind,
                    worker,
                    xid,
                    tag,
                    start,
                    begun,
                    end,
                    TxRecord.Outcome.FAILED,
                    "status",
                    status,
                    "commit left status " + status);
        } catch (Exception | Error e) {
            return new TxRecord(
                    kind,
                    worker,
                    xid,
                    tag,
                    start,
                    begun,
                    System.nanoTime(),
                    TxRecord.Outcome.FAILED,
                    stage,
                    null,
                    chain(e));
        }
    }

    /** {@code Class: message <- Cause: message ...}, short. */
    public static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (Throwable c = e; c != null && depth < 5; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (depth > 0) {
                b.append(" <- ");
            }
            String msg = String.valueOf(c.getMessage()).replace('\n', ' ');
            b.append(c.getClass().getSimpleName())
                    .append(": ")
                    .append(msg.length() > 200 ? msg.substring(0, 200) + "..." : msg);
        }
        return b.toString();
    }
}
