package io.arbiter.server.metrics;

import io.arbiter.core.Applied;
import io.arbiter.core.command.Command;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.model.GlobalTransaction;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import io.arbiter.server.coordinator.CoordinatorObserver;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running figures of this node's replica of one fragment, read by the meters {@link NodeMetrics} binds: commands
 * applied while leading, apply and proposal latency, leader changes seen, snapshots, transactions begun and ended
 * (by status) while leading, phase-two retries scheduled, and the live transactions by Seata labels while leading
 * (recounted from the fragment's state whenever this replica becomes leader). Ended transactions also feed the
 * node's {@link SeataTransactionMetrics}.
 *
 * <p>Threading: the observer calls run on the fragment's apply thread (and proposals' and snapshot writers'
 * threads); updates are adders and a concurrent map, no locks; the readers run on the scraping thread.
 */
public final class FragmentMeters implements CoordinatorObserver {
    private static final GlobalStatus[] STATUSES = GlobalStatus.values();

    private final int fragmentId;
    private final SeataTransactionMetrics seata;
    final LongAdder commands = new LongAdder();
    final LongAdder entries = new LongAdder();
    final LongAdder applies = new LongAdder();
    final LongAdder applyNanos = new LongAdder();
    final LongAdder proposals = new LongAdder();
    final LongAdder proposalNanos = new LongAdder();
    final LongAdder proposalsFailed = new LongAdder();
    final LongAdder leaderChanges = new LongAdder();
    final LongAdder snapshotCaptures = new LongAdder();
    final LongAdder snapshotCaptureNanos = new LongAdder();
    final LongAdder snapshotWrites = new LongAdder();
    final LongAdder snapshotWriteNanos = new LongAdder();
    volatile long lastSnapshotBytes;
    final LatencyHistogram proposalLatency = new LatencyHistogram();
    final LongAdder begun = new LongAdder();
    private final LongAdder[] ended = new LongAdder[STATUSES.length];
    private final LongAdder[] retries = new LongAdder[STATUSES.length];
    private final Map<TransactionLabels, LongAdder> live = new ConcurrentHashMap<>();
    private volatile boolean leader;
    private volatile String knownLeader;

    FragmentMeters(int fragmentId, SeataTransactionMetrics seata) {
        this.fragmentId = fragmentId;
        this.seata = seata;
        for (int i = 0; i < STATUSES.length; i++) {
            ended[i] = new LongAdder();
            retries[i] = new LongAdder();
        }
    }

    int fragmentId() {
        return fragmentId;
    }

    boolean leader() {
        return leader;
    }

    long ended(GlobalStatus status) {
        return ended[status.ordinal()].sum();
    }

    long retries(GlobalStatus status) {
        return retries[status.ordinal()].sum();
    }

    /** Live transactions of this fragment by labels while this replica leads; empty otherwise. */
    Map<TransactionLabels, Long> liveByLabels() {
        Map<TransactionLabels, Long> copy = new HashMap<>();
        live.forEach((labels, n) -> copy.put(labels, n.sum()));
        return copy;
    }

    @Override
    public void entryStarted(boolean leading) {
        if (leading) {
            entries.increment();
        }
    }

    @Override
    public void applied(Command command, Applied applied, int liveChange, boolean leading, long nanos) {
        applies.increment();
        applyNanos.add(nanos);
        if (!leading) {
            return;
        }
        commands.increment();
        if (command instanceof Command.Begin b && applied.result() instanceof Result.Began && liveChange > 0) {
            TransactionLabels labels = new TransactionLabels(b.applicationId(), b.serviceGroup());
            LongAdder n = live.get(labels);
            (n != null ? n : live.computeIfAbsent(labels, k -> new LongAdder())).increment();
            begun.increment();
            seata.begun(labels);
        }
        for (Effect effect : applied.effects()) {
            if (effect instanceof Effect.Finished f) {
                TransactionLabels labels = new TransactionLabels(f.applicationId(), f.serviceGroup());
                LongAdder n = live.get(labels);
                if (n != null) {
                    n.decrement();
                }
                ended[f.status().ordinal()].increment();
                seata.ended(labels, f.status(), f.beganAt());
            } else if (effect instanceof Effect.Outcome o && isRetrying(o.status())) {
                retries[o.status().ordinal()].increment();
            }
        }
    }

    static boolean isRetrying(GlobalStatus status) {
        return status == GlobalStatus.CommitRetrying
                || status == GlobalStatus.RollbackRetrying
                || status == GlobalStatus.TimeoutRollbackRetrying;
    }

    @Override
    public void roleChanged(boolean leading, Collection<GlobalTransaction> transactions) {
        leader = leading;
        live.clear();
        if (leading) {
            for (GlobalTransaction tx : transactions) {
                live.computeIfAbsent(new TransactionLabels(tx.applicationId(), tx.serviceGroup()), k -> new LongAdder())
                        .increment();
            }
        }
    }

    @Override
    public void snapshotCaptured(long nanos) {
        snapshotCaptures.increment();
        snapshotCaptureNanos.add(nanos);
    }

    @Override
    public void snapshotWritten(long nanos, long bytes) {
        snapshotWrites.increment();
        snapshotWriteNanos.add(nanos);
        lastSnapshotBytes = bytes;
    }

    @Override
    public void proposalAnswered(long nanos, boolean ok) {
        proposals.increment();
        proposalNanos.add(nanos);
        proposalLatency.record(nanos);
        if (!ok) {
            proposalsFailed.increment();
        }
    }

    /**
     * The replica's group view names {@code leaderId} (on the group's notification thread, one call at a time): a
     * different leader than the last one known counts as a leader change (the first one known does not).
     */
    public void leaderSeen(Optional<String> leaderId) {
        if (leaderId.isEmpty()) {
            return;
        }
        String previous = knownLeader;
        if (previous != null && !previous.equals(leaderId.get())) {
            leaderChanges.increment();
        }
        knownLeader = leaderId.get();
    }
}
