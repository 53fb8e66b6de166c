package io.arbiter.server.coordinator;

import io.arbiter.core.Applied;
import io.arbiter.core.Coordinator;
import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
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
    private volatile java.util.function.BooleanSupplier lockOnly = () -> false;
    /** This replica's term while it leads, else -1 (apply thread; read by other threads). */
    private volatile long leaderTerm = -1;
    /** The log index of the last command applied (apply thread only): commands of one entry share it. */
    private long lastEntryIndex = -1;
    /** The term the coordinator's in-memory lock table was started for, -1 if none (apply thread only). */
    private long memoryTerm = -1;
    /** The term whose in-memory lock table is complete, -1 if none. */
    private volatile long lockTableReadyTerm = -1;

    public CoordinatorStateMachine(int fragmentId, CoordinatorSettings settings, Consumer<List<Effect>> effectSink) {
        this.settings = settings;
        this.effectSink = effectSink;
        this.coordinator = new Coordinator(fragmentId, settings);
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        appliedCount++;
        if (index != lastEntryIndex) {
            lastEntryIndex = index;
            observer.entryStarted(leader);
        }
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

    /**
     * A {@link Command.Read} (encoded as a proposal), answered from the state as of the last applied entry; in a
     * lock-only fragment also a {@link Command.LeaderLocks}, which changes the leader's in-memory lock table (state
     * that is no part of the replicated state: a new leader rebuilds it, {@code docs/LOCKS.md}).
     */
    @Override
    public byte[] query(byte[] request) {
        Command command = CommandCodec.decode(request).command();
        if (lockOnly.getAsBoolean()) {
            long term = leaderTerm;
            if (memoryTerm != term) { // the fragment became lock-only (its map arrived) after this term began
                coordinator.leaderLocksTerm(term);
                memoryTerm = term;
            }
            if (command instanceof Command.LeaderLocks lockCommand) {
                Result result = coordinator.leaderLocks(lockCommand, term);
                if (command instanceof Command.RebuildLocks && result == Result.Done.INSTANCE) {
                    lockTableReadyTerm = term;
                }
                this.locks = coordinator.lockCount();
                return ResultCodec.encode(result);
            }
            if (command instanceof Command.Read read) {
                return ResultCodec.encode(coordinator.leaderRead(read, term));
            }
        }
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
        if (lockOnly.getAsBoolean()) { // a leader's in-memory rows may be in the snapshot: they count for nothing here
            coordinator.leaderLocksTerm(-1);
        }
        memoryTerm = -1;
        lockTableReadyTerm = -1;
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
        leaderTerm = isLeader ? term : -1;
        lockTableReadyTerm = -1;
        if (lockOnly.getAsBoolean() || memoryTerm >= 0) { // a new term's table starts empty, a follower's is empty
            coordinator.leaderLocksTerm(leaderTerm);
            memoryTerm = leaderTerm;
            publish();
        }
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

    /**
     * The live coordinator, for a deterministic test that runs every apply-thread call itself (the fragment
     * simulation reads a lock-only fragment's in-memory table through it). Not thread-safe.
     */
    public Coordinator peekCoordinator() {
        return coordinator;
    }

    /** Where "this fragment is lock-only" is read from (the cluster map as this node follows it). */
    public void lockOnlyWhile(java.util.function.BooleanSupplier only) {
        this.lockOnly = java.util.Objects.requireNonNull(only, "only");
    }

    /** This replica's Raft term while it leads, -1 when it does not (as the apply thread last heard). */
    public long leaderTerm() {
        return leaderTerm;
    }

    /**
     * Whether this replica leads a lock-only fragment with its in-memory lock table complete for its current term;
     * until then it grants no rows ({@code LockTableNotReady}).
     */
    public boolean lockTableReady() {
        long term = leaderTerm;
        return term >= 0 && lockTableReadyTerm == term;
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
