package io.arbiter.compat.soak;

import io.arbiter.compat.client.CompatClient;
import io.arbiter.compat.client.CompatClient.GlobalTx;
import io.arbiter.compat.db.Inventory;
import io.arbiter.compat.ha.TxRecord;
import io.arbiter.compat.ha.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The soak's load through the real Seata client: worker threads of three kinds, each running one transaction
 * after another as a {@code @GlobalTransactional} method would, with nothing retried.
 * <ul>
 *   <li>AT: a sale ({@link Inventory#sell}) through the AT proxy of one database;</li>
 *   <li>XA: the same sale through the XA proxy of another database (one XA branch, prepared in PostgreSQL);</li>
 *   <li>TCC: {@code tryA} and {@code tryB} with a fresh tag (two TCC branches).</li>
 * </ul>
 * A share of the transactions ({@link SoakSettings#rollbackPercent}) is rolled back by the application after its
 * business, so that the end checks see rollbacks decided under faults too. Each worker draws its choices from its
 * own generator seeded from the run's seed. Every transaction is recorded as a {@link SoakTx}.
 *
 * <p>Threading: {@link #start} and {@link #stop} from the test thread; the workers are its own threads.
 */
public final class MixedLoad {
    /** Statuses a rollback may leave that mean the transaction is (being) rolled back. */
    static final Set<String> ROLLED_BACK_STATUSES = Set.of(
            "Rollbacked",
            "Rollbacking",
            "RollbackRetrying",
            "TimeoutRollbacked",
            "TimeoutRollbacking",
            "TimeoutRollbackRetrying");

    private static final long FAILURE_BACKOFF_MS = 100;

    private final CompatClient client;
    private final DataSource at;
    private final DataSource xa;
    private final SoakSettings settings;
    private final ConcurrentLinkedQueue<SoakTx> records = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param at the AT proxy of the AT inventory database
     * @param xa the XA proxy of the XA inventory database
     */
    public MixedLoad(CompatClient client, DataSource at, DataSource xa, SoakSettings settings) {
        this.client = client;
        this.at = at;
        this.xa = xa;
        this.settings = settings;
    }

    public synchronized void start() {
        running = true;
        int w = 0;
        for (TxRecord.Kind kind : TxRecord.Kind.values()) {
            int count = switch (kind) {
                case AT -> settings.atWorkers();
                case TCC -> settings.tccWorkers();
                case XA -> settings.xaWorkers();
            };
            for (int i = 0; i < count; i++, w++) {
                int worker = w;
                Random random = new Random(settings.seed() * 1_000_003L + worker);
                Thread t = new Thread(
                        () -> loop(kind, worker, random), "soak-" + kind.name().toLowerCase(Locale.ROOT) + "-" + w);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }
    }

    /** Tells the workers to stop after their current transaction and waits for them (at most {@code wait}). */
    public synchronized void stop(Duration wait) throws InterruptedException {
        running = false;
        io.arbiter.compat.ha.Workers.join(threads, wait);
    }

    /** Every transaction finished so far, in completion order. */
    public List<SoakTx> records() {
        return List.copyOf(records);
    }

    private void loop(TxRecord.Kind kind, int worker, Random random) {
        while (running) {
            SoakTx r = runOnce(kind, worker, random);
            records.add(r);
            if (r.ending() == SoakTx.Ending.FAILED) {
                pause(FAILURE_BACKOFF_MS); // fast failures must not flood the count
            }
        }
    }

    private SoakTx runOnce(TxRecord.Kind kind, int worker, Random random) {
        boolean rollback = random.nextInt(100) < settings.rollbackPercent();
        long orderId = ids.incrementAndGet();
        String tag = kind == TxRecord.Kind.TCC ? "ha-soak-" + orderId : String.valueOf(orderId);
        int item = 1 + random.nextInt(settings.items());
        int units = 1 + random.nextInt(5);
        client.unbind(); // a failed transaction must not leak its XID into the next one
        try {
            return run(kind, worker, tag, rollback, xid -> {
                // both proxies live in this JVM: each transaction names its mode (see CompatClient.bindBranchType)
                client.bindBranchType(kind == TxRecord.Kind.TCC ? null : kind.name());
                switch (kind) {
                    case AT -> sell(at, orderId, xid, item, units);
                    case XA -> sell(xa, orderId, xid, item, units);
                    case TCC -> {
                        client.tcc().tryA(tag);
                        client.tcc().tryB(tag);
                    }
                }
            });
        } finally {
            client.bindBranchType(null);
            client.unbind();
        }
    }

    private static void sell(DataSource ds, long orderId, String xid, int item, int units) throws Exception {
        if (!Inventory.sell(ds, orderId, xid, item, units)) {
            throw new IllegalStateException("item " + item + " is out of stock");
        }
    }

    private interface Business {
        void run(String xid) throws Exception;
    }

    private SoakTx run(TxRecord.Kind kind, int worker, String tag, boolean rollback, Business business) {
        long start = System.nanoTime();
        Attempt a = new Attempt(kind, worker, tag, start);
        try {
            GlobalTx tx = client.begin("soak-" + kind.name().toLowerCase(Locale.ROOT), settings.txTimeoutMs());
            a.begun(tx.xid());
            a.stage = "business";
            try {
                business.run(tx.xid());
            } catch (Exception | Error e) {
                return a.failed(null, Workload.chain(e) + rollbackAfterFailure(tx));
            }
            if (rollback) {
                a.stage = "rollback";
                String status = tx.rollback();
                return ROLLED_BACK_STATUSES.contains(status)
                        ? a.ended(SoakTx.Ending.ROLLED_BACK, status)
                        : a.failed(status, "rollback left status " + status);
            }
            a.stage = "commit";
            String status = tx.commit();
            if (Workload.COMMITTED_STATUSES.contains(status)) {
                return a.ended(SoakTx.Ending.COMMITTED, status);
            }
            a.stage = "status";
            return a.failed(status, "commit left status " + status);
        } catch (Exception | Error e) {
            return a.failed(null, Workload.chain(e));
        }
    }

    private static String rollbackAfterFailure(GlobalTx tx) {
        try {
            return " (rollback: " + tx.rollback() + ")";
        } catch (Exception r) {
            return " (rollback failed: " + Workload.chain(r) + ")";
        }
    }

    /** What is known of a transaction while it runs. */
    private static final class Attempt {
        private final TxRecord.Kind kind;
        private final int worker;
        private final String tag;
        private final long startNs;
        private long begunNs;
        private String xid;
        private String stage = "begin";

        Attempt(TxRecord.Kind kind, int worker, String tag, long startNs) {
            this.kind = kind;
            this.worker = worker;
            this.tag = tag;
            this.startNs = startNs;
        }

        void begun(String xid) {
            this.xid = xid;
            this.begunNs = System.nanoTime();
        }

        SoakTx ended(SoakTx.Ending ending, String status) {
            return new SoakTx(kind, worker, xid, tag, startNs, begunNs, System.nanoTime(), ending, null, status, null);
        }

        SoakTx failed(String status, String error) {
            return new SoakTx(
                    kind,
                    worker,
                    xid,
                    tag,
                    startNs,
                    begunNs,
                    System.nanoTime(),
                    SoakTx.Ending.FAILED,
                    stage,
                    status,
                    error);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
