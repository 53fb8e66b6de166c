package io.arbiter.server.http.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.ClusterView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchRegistryTest {
    private final FakeCluster cluster = new FakeCluster("default", List.of(ClusterEndpointTest.A), 5);
    private final WatchRegistry registry = new WatchRegistry(cluster.view(ClusterEndpointTest.A));

    @Test
    void aStaleWatcherFiresAtOnce() {
        AtomicInteger fired = new AtomicInteger();
        registry.park(4, fired::incrementAndGet);
        assertThat(fired).hasValue(1);
        assertThat(registry.parked()).isZero();
    }

    @Test
    void oneSubscriptionWakesStaleWatchersAndKeepsThoseAhead() {
        AtomicInteger current = new AtomicInteger();
        AtomicInteger ahead = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            registry.park(5, current::incrementAndGet);
        }
        registry.park(6, ahead::incrementAndGet); // a client that saw term 6 on another node
        assertThat(cluster.changedSinceCalls).hasValue(1);

        cluster.bumpTerm(); // 6
        assertThat(current).hasValue(10);
        assertThat(ahead).hasValue(0);
        assertThat(registry.parked()).isEqualTo(1);
        assertThat(cluster.pendingSubscriptions()).isEqualTo(1); // renewed for the remaining watcher

        cluster.bumpTerm(); // 7
        assertThat(ahead).hasValue(1);
        assertThat(registry.parked()).isZero();
        assertThat(cluster.pendingSubscriptions()).isZero(); // nobody left: no subscription
    }

    @Test
    void cancelledWatchersDoNotFire() {
        AtomicInteger fired = new AtomicInteger();
        var w = registry.park(5, fired::incrementAndGet);
        registry.cancel(w);
        cluster.bumpTerm();
        assertThat(fired).hasValue(0);
    }

    @Test
    void aFailedNotificationIsRenewedByTheNextPark() {
        FailingOnceView view = new FailingOnceView(cluster.view(ClusterEndpointTest.A));
        WatchRegistry r = new WatchRegistry(view);
        AtomicInteger fired = new AtomicInteger();
        r.park(5, fired::incrementAndGet); // subscription fails at once
        r.park(5, fired::incrementAndGet); // subscribes again
        cluster.bumpTerm();
        assertThat(fired).hasValue(2);
    }

    /** A view whose first changedSince fails. */
    private static final class FailingOnceView implements ClusterView {
        private final ClusterView delegate;
        private boolean failed;

        FailingOnceView(ClusterView delegate) {
            this.delegate = delegate;
        }

        @Override
        public String group() {
            return delegate.group();
        }

        @Override
        public ClusterMember self() {
            return delegate.self();
        }

        @Override
        public List<ClusterMember> members() {
            return delegate.members();
        }

        @Override
        public Optional<ClusterMember> leader() {
            return delegate.leader();
        }

        @Override
        public long raftTerm() {
            return delegate.raftTerm();
        }

        @Override
        public boolean reachable(String memberId) {
            return delegate.reachable(memberId);
        }

        @Override
        public long version() {
            return delegate.version();
        }

        @Override
        public CompletableFuture<Void> changedSince(long knownTerm) {
            if (!failed) {
                failed = true;
                return CompletableFuture.failedFuture(new IllegalStateException("closing"));
            }
            return delegate.changedSince(knownTerm);
        }

        @Override
        public CompletableFuture<Void> changeMembers(List<ClusterMember> members) {
            return delegate.changeMembers(members);
        }
    }
}
