package io.arbiter.replication.memory;

import io.arbiter.replication.GroupListener;
import io.arbiter.replication.GroupView;
import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicaGroupConfig.Peer;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.ReplicationException;
import io.arbiter.replication.ReplicationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A single replica that applies each proposed command on one apply thread, in proposal order, with its own log
 * index (one command per index: no batching). It is the leader from {@link #start()} on, in term 1, unless a test
 * moves leadership with {@link #stepDown} and {@link #becomeLeader}. {@link #snapshot()} and {@link #restore} let
 * tests round-trip a state machine's snapshot. Nothing is persisted.
 *
 * <p>Membership is simulated for tests of code that reports or changes it: {@link #changePeers} adopts the new list
 * at once (removing this replica makes it a non-member follower), {@link #transferLeadership} to another member is
 * {@link #stepDown} with that member as the leader, and every change is published to {@link GroupListener}s on the
 * completion thread, as in the real implementation.
 */
public final class InMemoryReplicaGroup implements ReplicaGroup {

    private final String selfId;
    private final ReplicatedStateMachine stateMachine;
    private final ExecutorService applyThread;
    private final ExecutorService completer;
    private final List<GroupListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean leader;
    private volatile String otherLeader;
    private volatile long term;
    private volatile List<Peer> peers;
    private volatile GroupView view;
    private long index;

    /** A replica with the placeholder address {@code in-memory:1}. */
    public InMemoryReplicaGroup(String selfId, ReplicatedStateMachine stateMachine) {
        this(new Peer(Objects.requireNonNull(selfId, "selfId"), "in-memory", 1), stateMachine);
    }

    /** A replica that reports {@code self} (with its address) as the only member. */
    public InMemoryReplicaGroup(Peer self, ReplicatedStateMachine stateMachine) {
        this.selfId = self.id();
        this.peers = List.of(self);
        this.view = new GroupView(0, selfId, peers, Optional.empty(), 0, false, false);
        this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
        this.applyThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "arbiter-apply-memory-" + selfId);
            t.setDaemon(true);
            return t;
        });
        this.completer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "arbiter-complete-memory-" + selfId);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        becomeLeader();
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        Objects.requireNonNull(command, "command");
        byte[] copy = command.clone();
        return asLeader(() -> stateMachine.apply(++index, copy));
    }

    /** Answered on the apply thread after every proposal made before it (one replica: it is always up to date). */
    @Override
    public CompletableFuture<byte[]> query(byte[] request) {
        Objects.requireNonNull(request, "request");
        byte[] copy = request.clone();
        return asLeader(() -> stateMachine.query(copy));
    }

    /** Runs {@code call} on the apply thread if this replica leads; completes on the completer thread. */
    private CompletableFuture<byte[]> asLeader(Supplier<byte[]> call) {
        if (!started || closed) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "not running"));
        }
        if (!leader) {
            return CompletableFuture.failedFuture(new NotLeaderException(otherLeader));
        }
        try {
            CompletableFuture<byte[]> result = new CompletableFuture<>();
            CompletableFuture.supplyAsync(call, applyThread)
                    .whenCompleteAsync(
                            (r, e) -> {
                                if (e == null) {
                                    result.complete(r);
                                } else {
                                    result.completeExceptionally(failure(e));
                                }
                            },
                            completer);
            return result;
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "closed"));
        }
    }

    private static ReplicationException failure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return new ReplicationException(Reason.FAILED, "state machine failed to apply", cause);
    }

    @Override
    public boolean isLeader() {
        return started && !closed && leader;
    }

    @Override
    public Optional<String> leaderId() {
        return leader ? Optional.of(selfId) : Optional.ofNullable(otherLeader);
    }

    @Override
    public long term() {
        return term;
    }

    @Override
    public List<Peer> peers() {
        return peers;
    }

    @Override
    public GroupView view() {
        return view;
    }

    @Override
    public void addListener(GroupListener listener) {
        Objects.requireNonNull(listener, "listener");
        onCompleter(() -> {
            listeners.add(listener);
            listener.onChange(view);
        });
    }

    @Override
    public void removeListener(GroupListener listener) {
        onCompleter(() -> listeners.remove(listener));
    }

    /** Simulated: adopts {@code newPeers} at once; without this replica in it, this replica stops leading. */
    @Override
    public CompletableFuture<Void> changePeers(List<Peer> newPeers) {
        List<Peer> members;
        try {
            members = Peer.checkMembers(newPeers);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(
                    new ReplicationException(Reason.FAILED, "invalid peer list: " + e.getMessage(), e));
        }
        if (!started || closed) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "not running"));
        }
        peers = members;
        if (members.stream().noneMatch(p -> p.id().equals(selfId)) && leader) {
            stepDown(null);
        } else {
            publish();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Simulated: to this replica, {@link #becomeLeader} unless it leads; to another member, {@link #stepDown}. */
    @Override
    public CompletableFuture<Void> transferLeadership(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        if (!started || closed) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "not running"));
        }
        if (peers.stream().noneMatch(p -> p.id().equals(peerId))) {
            return CompletableFuture.failedFuture(new ReplicationException(Reason.FAILED, peerId + " is not a member"));
        }
        if (peerId.equals(selfId)) {
            if (!leader) {
                becomeLeader();
            }
        } else {
            term++; // the new leader's term
            stepDown(peerId);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Test hook: this replica loses leadership; proposals fail with {@code NotLeaderException(hint)}. */
    public void stepDown(String leaderHint) {
        leader = false;
        otherLeader = leaderHint;
        long t = term;
        onApplyThread(() -> stateMachine.onRoleChange(false, t));
        publish();
    }

    /** Test hook: this replica becomes leader in the next term. */
    public void becomeLeader() {
        otherLeader = null;
        long t = ++term;
        onApplyThread(() -> stateMachine.onRoleChange(true, t));
        leader = true;
        publish();
    }

    /** Publishes the current state as a new view if it changed (on the completion thread, like listener calls). */
    private void publish() {
        onCompleter(() -> {
            boolean running = started && !closed;
            boolean member = running && peers.stream().anyMatch(p -> p.id().equals(selfId));
            GroupView next = new GroupView(
                    view.version() + 1,
                    selfId,
                    peers,
                    running ? leaderId() : Optional.empty(),
                    term,
                    running && leader,
                    member);
            if (view.version() == 0 || next.differsFrom(view)) {
                view = next;
                for (GroupListener l : listeners) {
                    try {
                        l.onChange(next);
                    } catch (RuntimeException e) {
                        // a listener's bug must not stop the others (the real implementation logs it)
                    }
                }
            }
        });
    }

    private void onCompleter(Runnable task) {
        try {
            completer.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // closed
        }
    }

    /** Captures a snapshot on the apply thread and writes it (here, on the caller's thread) to bytes. */
    public byte[] snapshot() {
        var writer = onApplyThread(stateMachine::snapshot);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Replaces the state machine's state from {@code snapshot} on the apply thread. */
    public void restore(byte[] snapshot) {
        onApplyThread(() -> {
            try {
                stateMachine.restore(new ByteArrayInputStream(snapshot));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The log index of the last applied command. */
    public long lastIndex() {
        return onApplyThread(() -> index);
    }

    private void onApplyThread(Runnable task) {
        onApplyThread(() -> {
            task.run();
            return null;
        });
    }

    private <T> T onApplyThread(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, applyThread).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (leader && started) {
            leader = false;
            onApplyThread(() -> stateMachine.onRoleChange(false, term));
        }
        publish();
        applyThread.shutdown();
        try {
            applyThread.awaitTermination(5, TimeUnit.SECONDS);
            completer.shutdown();
            completer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
