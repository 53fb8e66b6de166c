package io.arbiter.server.coordinator;

import io.arbiter.core.Applied;
import io.arbiter.core.Coordinator;
import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.ResultCodec;
import io.arbiter.core.snapshot.CoordinatorSnapshot;
import io.arbiter.core.snapshot.SnapshotCodec;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.SnapshotWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Plugs the pure {@link Coordinator} into replication: decodes each committed command, applies it, encodes the
 * result for the proposer, and hands the effects to the server when this replica leads. Publishes a few figures
 * (counts, next due time) in volatile fields for other threads.
 *
 * <p>Threading: {@code apply}, {@code snapshot}, {@code restore} and {@code onRoleChange} are called one at a time by
 * the replication apply loop (on Ratis's updater thread or the apply thread); the published figures are volatile.
 */
public final class CoordinatorStateMachine implements ReplicatedStateMachine {
    /** Written by the apply thread only; read by the load reporter. */
    private volatile long appliedCount;

    private final CoordinatorSettings settings;
    private final Consumer<List<Effect>> effectSink;
    private Coordinator coordinator;
    private volatile boolean leader;
    private volatile Runnable onLeadership;
    private volatile Runnable onLeadershipEnd;
    private volatile long nextDue = Long.MAX_VALUE;
    private volatile int transactions;
    private volatile int locks;
    private volatile Set<String> atResources = Set.of();
    private volatile CoordinatorObserver observer = CoordinatorObserver.NONE;

    public CoordinatorStateMachine(int fragmentId, CoordinatorSettings settings, Consumer<List<Effect>> effectSink) {
        this.settings = settings;
        this.effectSink = effectSink;
        this.coordinator = new Coordinator(fragmentId, settings);
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        appliedCount++;
        long start = System.nanoTime();
        Proposal proposal = CommandCodec.decode(command);
        int before = transactions;
        Applied applied = coordinator.apply(proposal);
        publish();
        if (proposal.command() instanceof Command.RegisterBranch r
                && r.type() == BranchType.AT
                && !atResources.contains(r.resourceId())) {
            atResources = Set.copyOf(coordinator.atResources().keySet());
        }
        observer.applied(proposal.command(), applied, transactions - before, leader, System.nanoTime() - start);
        if (leader && !applied.effects().isEmpty()) {
            effectSink.accept(applied.effects());
        }
        return ResultCodec.encode(applied.result());
    }

    /** A {@link Command.Read} (encoded as a proposal), answered from the state as of the last applied entry. */
    @Override
    public byte[] query(byte[] request) {
        Command command = CommandCodec.decode(request).command();
        if (!(command instanceof Command.Read read)) {
            throw new IllegalArgumentException(
                    "not a read: " + command.getClass().getSimpleName());
        }
        return ResultCodec.encode(coordinator.read(read));
    }

    @Override
    public SnapshotWriter snapshot() {
        long start = System.nanoTime();
        CoordinatorSnapshot view = coordinator.snapshot();
        CoordinatorObserver watching = observer;
        watching.snapshotCaptured(System.nanoTime() - start);
        return out -> {
            long writeStart = System.nanoTime();
            ByteCounter counted = new ByteCounter(out);
            SnapshotCodec.write(view, counted);
            counted.flush();
            watching.snapshotWritten(System.nanoTime() - writeStart, counted.bytes);
        };
    }

    /** Counts the bytes written through it. */
    private static final class ByteCounter extends FilterOutputStream {
        private long bytes;

        ByteCounter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
        }
    }

    @Override
    public void restore(InputStream in) throws IOException {
        coordinator = Coordinator.restore(SnapshotCodec.read(in), settings);
        publish();
        atResources = Set.copyOf(coordinator.atResources().keySet());
        if (leader) {
            observer.roleChanged(true, coordinator.transactions());
        }
    }

    @Override
    public void onRoleChange(boolean isLeader, long term) {
        boolean was = leader;
        leader = isLeader;
        if (isLeader != was) {
            observer.roleChanged(isLeader, coordinator.transactions());
        }
        if (isLeader && !was && onLeadership != null) {
            onLeadership.run();
        }
        if (was && !isLeader && onLeadershipEnd != null) {
            onLeadershipEnd.run();
        }
    }

    /** Who watches this replica from now on (set before it starts applying, or accept missing the first calls). */
    public void observe(CoordinatorObserver watcher) {
        this.observer = java.util.Objects.requireNonNull(watcher, "watcher");
    }

    /** Runs (on the apply thread; must not block) each time this replica becomes leader. */
    public void onLeadership(Runnable action) {
        this.onLeadership = action;
    }

    /**
     * Runs (on the apply thread; must not block) each time this replica stops leading, also when it closes: from then
     * on what it applies has no effects here; the next leader carries them out.
     */
    public void onLeadershipEnd(Runnable action) {
        this.onLeadershipEnd = action;
    }

    private void publish() {
        nextDue = coordinator.nextDue();
        transactions = coordinator.transactionCount();
        locks = coordinator.lockCount();
    }

    public boolean isLeader() {
        return leader;
    }

    public long nextDue() {
        return nextDue;
    }

    public int transactionCount() {
        return transactions;
    }

    /** Commands applied by this replica since it started (for the load report). */
    public long appliedCommands() {
        return appliedCount;
    }

    public int lockCount() {
        return locks;
    }

    /** The AT resources that registered branches in this fragment (replicated state; readable from any thread). */
    public Set<String> atResources() {
        return atResources;
    }
}
