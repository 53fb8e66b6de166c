package io.arbiter.server.coordinator;

import io.arbiter.core.Applied;
import io.arbiter.core.Coordinator;
import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.result.Effect;
import io.arbiter.core.result.ResultCodec;
import io.arbiter.core.snapshot.CoordinatorSnapshot;
import io.arbiter.core.snapshot.SnapshotCodec;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.SnapshotWriter;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
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
    private final CoordinatorSettings settings;
    private final Consumer<List<Effect>> effectSink;
    private Coordinator coordinator;
    private volatile boolean leader;
    private volatile Runnable onLeadership;
    private volatile long nextDue = Long.MAX_VALUE;
    private volatile int transactions;
    private volatile int locks;

    public CoordinatorStateMachine(int fragmentId, CoordinatorSettings settings, Consumer<List<Effect>> effectSink) {
        this.settings = settings;
        this.effectSink = effectSink;
        this.coordinator = new Coordinator(fragmentId, settings);
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        Applied applied = coordinator.apply(CommandCodec.decode(command));
        publish();
        if (leader && !applied.effects().isEmpty()) {
            effectSink.accept(applied.effects());
        }
        return ResultCodec.encode(applied.result());
    }

    @Override
    public SnapshotWriter snapshot() {
        CoordinatorSnapshot view = coordinator.snapshot();
        return out -> SnapshotCodec.write(view, out);
    }

    @Override
    public void restore(InputStream in) throws IOException {
        coordinator = Coordinator.restore(SnapshotCodec.read(in), settings);
        publish();
    }

    @Override
    public void onRoleChange(boolean isLeader, long term) {
        boolean was = leader;
        leader = isLeader;
        if (isLeader && !was && onLeadership != null) {
            onLeadership.run();
        }
    }

    /** Runs (on the apply thread; must not block) each time this replica becomes leader. */
    public void onLeadership(Runnable action) {
        this.onLeadership = action;
    }

    private void publish() {
        nextDue = coordinator.nextDue();
        transactions = coordinator.transactionCount();
        locks = coordinator.lockCount();
    }

    public boolean isLeader() { return leader; }
    public long nextDue() { return nextDue; }
    public int transactionCount() { return transactions; }
    public int lockCount() { return locks; }
}
