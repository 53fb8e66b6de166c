package io.arbiter.server.cluster;

import io.arbiter.replication.ReplicaGroup;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterView} over this node's replica group: the configured members and the leader the group reports.
 * It watches the group every {@value #WATCH_MILLIS} ms and raises its term on every change it sees.
 *
 * <p>Threading: thread-safe; the watch runs on its own daemon thread and completes waiters there.
 */
public final class ReplicatedClusterView implements ClusterView, AutoCloseable {
    private static final long WATCH_MILLIS = 100;

    private final String group;
    private final ClusterMember self;
    private final ReplicaGroup replicas;
    private volatile List<ClusterMember> members;
    private volatile Optional<ClusterMember> leader = Optional.empty();
    private volatile long term = 1;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arbiter-cluster-view");
        t.setDaemon(true);
        return t;
    });

    private record Waiter(long knownTerm, CompletableFuture<Void> future) { }

    public ReplicatedClusterView(String group, ClusterMember self, List<ClusterMember> members,
                                 ReplicaGroup replicas) {
        this.group = group;
        this.self = self;
        this.members = List.copyOf(members);
        this.replicas = replicas;
    }

    public void start() {
        watcher.scheduleWithFixedDelay(this::refresh, 0, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        Optional<ClusterMember> now = replicas.leaderId().flatMap(this::member);
        if (!now.equals(leader)) {
            leader = now;
            bump();
        }
    }

    private synchronized void bump() {
        term++;
        waiters.removeIf(w -> {
            if (w.knownTerm() < term) {
                w.future().complete(null);
                return true;
            }
            return false;
        });
    }

    /** The member with this Raft peer id. */
    public Optional<ClusterMember> member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public ClusterMember self() {
        return self;
    }

    @Override
    public List<ClusterMember> members() {
        return members;
    }

    @Override
    public Optional<ClusterMember> leader() {
        return leader;
    }

    @Override
    public long term() {
        return term;
    }

    @Override
    public synchronized CompletableFuture<Void> changedSince(long knownTerm) {
        if (knownTerm < term) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiters.add(new Waiter(knownTerm, f));
        return f;
    }

    @Override
    public CompletableFuture<Void> changeMembers(List<ClusterMember> newMembers) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "membership changes are not available yet"));
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
