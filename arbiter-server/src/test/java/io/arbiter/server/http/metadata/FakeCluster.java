package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cluster state shared by fake {@link ClusterView}s, one per node; changes come from the test thread. All views share
 * one version, which is also their Raft term (the "term" here), and one set of unreachable members.
 */
final class FakeCluster {
    private final String group;
    private List<ClusterMember> members;
    private String leaderId;
    private long term;
    private final List<Pending> pending = new ArrayList<>();
    private final java.util.Set<String> unreachable = new java.util.HashSet<>();
    private CompletableFuture<Void> nextChangeResult;
    final AtomicInteger changedSinceCalls = new AtomicInteger();
    /** The self id of the view for every group() call, in order: which node answered each metadata fetch. */
    final List<String> fetches = Collections.synchronizedList(new ArrayList<>());

    private record Pending(long knownTerm, CompletableFuture<Void> future) {}

    FakeCluster(String group, List<ClusterMember> members, long term) {
        this.group = group;
        this.members = List.copyOf(members);
        this.leaderId = members.isEmpty() ? null : members.get(0).id();
        this.term = term;
    }

    ClusterView view(ClusterMember self) {
        return new View(self);
    }

    synchronized long term() {
        return term;
    }

    synchronized List<ClusterMember> members() {
        return members;
    }

    /** A leadership or membership change: raises the term and wakes watchers. */
    void change(List<ClusterMember> newMembers, String newLeaderId) {
        List<CompletableFuture<Void>> wake = new ArrayList<>();
        synchronized (this) {
            members = List.copyOf(newMembers);
            leaderId = newLeaderId;
            term++;
            pending.removeIf(p -> {
                if (p.knownTerm() < term) {
                    wake.add(p.future());
                    return true;
                }
                return false;
            });
        }
        wake.forEach(f -> f.complete(null));
    }

    void bumpTerm() {
        change(members(), leaderId);
    }

    /** Every node now sees {@code memberId} as reachable or not (a change: raises the term). */
    void reachable(String memberId, boolean reachable) {
        synchronized (this) {
            if (reachable) {
                unreachable.remove(memberId);
            } else {
                unreachable.add(memberId);
            }
        }
        bumpTerm();
    }

    synchronized boolean isReachable(String memberId) {
        return !unreachable.contains(memberId);
    }

    /** The next changeMembers completes like {@code result} instead of applying the change. */
    synchronized void nextChangeResult(CompletableFuture<Void> result) {
        nextChangeResult = result;
    }

    synchronized int pendingSubscriptions() {
        return pending.size();
    }

    private final class View implements ClusterView {
        private final ClusterMember self;

        View(ClusterMember self) {
            this.self = self;
        }

        @Override
        public String group() {
            fetches.add(self.id()); // only a metadata answer asks for the group name
            return group;
        }

        @Override
        public ClusterMember self() {
            return self;
        }

        @Override
        public List<ClusterMember> members() {
            return FakeCluster.this.members();
        }

        @Override
        public Optional<ClusterMember> leader() {
            synchronized (FakeCluster.this) {
                return members.stream().filter(m -> m.id().equals(leaderId)).findFirst();
            }
        }

        @Override
        public long raftTerm() {
            return FakeCluster.this.term();
        }

        @Override
        public boolean reachable(String memberId) {
            return memberId.equals(self.id()) || isReachable(memberId);
        }

        @Override
        public long version() {
            return FakeCluster.this.term();
        }

        @Override
        public CompletableFuture<Void> changedSince(long knownTerm) {
            changedSinceCalls.incrementAndGet();
            synchronized (FakeCluster.this) {
                if (term > knownTerm) {
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<Void> f = new CompletableFuture<>();
                pending.add(new Pending(knownTerm, f));
                return f;
            }
        }

        @Override
        public CompletableFuture<Void> changeMembers(List<ClusterMember> newMembers) {
            CompletableFuture<Void> injected;
            synchronized (FakeCluster.this) {
                injected = nextChangeResult;
                nextChangeResult = null;
            }
            if (injected != null) {
                return injected;
            }
            change(newMembers, leaderId);
            return CompletableFuture.completedFuture(null);
        }
    }
}
