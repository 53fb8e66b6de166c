package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicatedStateMachine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis {@code StateMachine} of one group: decodes entries and hands them to the {@link ApplyLoop}, routes
 * leadership events to the {@link RoleTracker}, and implements snapshots with {@link AsyncSnapshotter} and
 * {@link SnapshotStore}. Results are not put in Ratis replies: they go to the proposer's futures in-process through
 * {@link InFlightBatches}, so a reply message is always empty.
 *
 * <p>Threading: Ratis calls {@code applyTransaction}, {@code notifyTermIndexUpdated}, {@code takeSnapshot},
 * {@code initialize} and {@code reinitialize} on its updater thread, {@code preAppendTransaction} on the thread that
 * appends to the log, and leadership events on server threads. None of them touches the state machine directly.
 */
final class StateMachineAdapter extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(StateMachineAdapter.class);

    private final InFlightBatches inFlight;
    private final ApplyLoop applyLoop;
    private final RoleTracker roles;
    private final SnapshotStore store = new SnapshotStore();
    private final AsyncSnapshotter snapshots;
    private final Runnable groupEvent;
    private volatile DivisionInfo division;

    /**
     * @param groupEvent told (on Ratis's threads; it must only hand off) whenever membership, leadership or the life
     *     of the group may have changed
     */
    StateMachineAdapter(
            NodeExecutors executors,
            ReplicatedStateMachine stateMachine,
            InFlightBatches inFlight,
            Runnable groupEvent) {
        this.inFlight = inFlight;
        this.groupEvent = groupEvent;
        this.applyLoop = new ApplyLoop(executors.workers(), stateMachine, inFlight, this::updateLastAppliedTermIndex);
        this.roles = new RoleTracker(stateMachine);
        this.snapshots = new AsyncSnapshotter(executors.io(), applyLoop, store);
    }

    AsyncSnapshotter snapshots() {
        return snapshots;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().startAndTransition(() -> {
            store.init(raftStorage);
            store.deleteTemporaryFiles();
            restoreLatest();
        });
    }

    /** Ratis is about to replace the storage directory with a snapshot from the leader (and then reinitialize). */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After a snapshot from the leader was installed into the storage directory. */
    @Override
    public void reinitialize() throws IOException {
        restoreLatest();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void restoreLatest() throws IOException {
        SingleFileSnapshotInfo latest = store.loadLatestSnapshot();
        snapshots.reset(latest);
        if (latest == null) {
            return;
        }
        long start = System.nanoTime();
        applyLoop.restore(
                latest.getTerm(), latest.getIndex(), () -> store.read(latest, applyLoop.stateMachine()::restore));
        setLastAppliedTermIndex(latest.getTermIndex());
        LOG.info("restored snapshot at index {} in {} ms", latest.getIndex(), (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return snapshots.published();
    }

    @Override
    public SnapshotStore getStateMachineStorage() {
        return store;
    }

    @Override
    public long takeSnapshot() {
        return snapshots.take();
    }

    @Override
    public TransactionContext preAppendTransaction(TransactionContext trx) {
        ByteBuffer data = trx.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
        inFlight.markAppended(EntryCodec.proposerId(data), EntryCodec.batchId(data));
        return trx;
    }

    /**
     * Decodes here, on Ratis's thread, and applies on the apply thread. An entry that does not decode is a corrupt or
     * incompatible log: the exception stops this replica (Ratis closes the server) rather than let it diverge.
     */
    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        EntryCodec.Entry decoded =
                EntryCodec.decode(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
        return applyLoop.apply(entry.getTerm(), entry.getIndex(), decoded).thenApply(v -> Message.EMPTY);
    }

    /**
     * A read-only request (Ratis calls this once the read index is applied, which for us means handed to the apply
     * loop): answered on the apply thread, after those entries.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            return applyLoop
                    .query(request.getContent().toByteArray())
                    .thenApply(answer -> Message.valueOf(UnsafeByteOperations.unsafeWrap(answer)));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Configuration and metadata entries: no commands, but the applied index moves, in order. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        applyLoop.advance(term, index);
    }

    /** A configuration entry was committed and applied (Ratis's updater thread). */
    @Override
    public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto newConfiguration) {
        groupEvent.run();
    }

    @Override
    public void notifyLeaderReady() {
        reconcileRole(true, false);
        groupEvent.run();
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        reconcileRole(false, false);
        groupEvent.run();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        reconcileRole(false, false);
        groupEvent.run();
    }

    /** Ratis stopped this replica's division by itself: it was removed from the group (or hit a fatal error). */
    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        groupEvent.run();
    }

    private void reconcileRole(boolean mayPromote, boolean closing) {
        try {
            applyLoop.execute(() -> {
                try {
                    roles.reconcile(division(), mayPromote, closing);
                } catch (RuntimeException e) {
                    LOG.warn("could not read this replica's role", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("apply thread stopped; role event dropped");
        }
    }

    private DivisionInfo division() {
        DivisionInfo d = division;
        if (d == null) {
            try {
                d = getServer().join().getDivision(getGroupId()).getInfo();
            } catch (IOException e) {
                throw new IllegalStateException("group " + getGroupId() + " is not on this server", e);
            }
            division = d;
        }
        return d;
    }

    /** After a failed start, when Ratis may never call {@link #close()}. */
    void closeQuietly() {
        applyLoop.close();
        snapshots.close();
    }

    /**
     * Called by Ratis when the group stops (closed by us, or shut down by Ratis after this replica was removed): report
     * the loss of leadership, drain the apply thread, stop writing.
     */
    @Override
    public void close() throws IOException {
        reconcileRole(false, true);
        applyLoop.close();
        snapshots.close();
        super.close();
        groupEvent.run();
    }
}
