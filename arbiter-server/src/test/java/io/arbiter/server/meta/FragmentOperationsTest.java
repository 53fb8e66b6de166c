package io.arbiter.server.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.server.WallClock;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.Delays;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.routing.GroupDirectory;
import io.arbiter.server.rpc.PeerTransport;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Map changes proposed right after a cluster started, before the meta group applied its map: they wait for the
 * bootstrap instead of being refused (an operator's first command, or a test's, came too early in a CI run).
 */
class FragmentOperationsTest {
    private static final List<String> NODES = List.of("n1:1", "n2:1", "n3:1");
    private static final ClusterMap INITIAL = ClusterMap.initial(4, NODES, 3);

    /** This node leads the meta group (and knows no other leader); its proposals go to {@link #propose}. */
    abstract static class MetaLeaderHere implements GroupDirectory {
        abstract CompletableFuture<byte[]> propose(byte[] encoded);

        @Override
        public Optional<Proposer> ledHere(int id) {
            return Optional.of(this::propose);
        }

        @Override
        public Optional<ClusterMember> leaderOf(int id) {
            return Optional.empty();
        }

        @Override
        public boolean exists(int id) {
            return id == FragmentIds.META;
        }

        @Override
        public String selfId() {
            return "n1:1";
        }
    }

    /**
     * This node leads the meta group; its replica is a real state machine, bootstrapped with {@code map} at the
     * {@code bootstrapAfter}-th proposal (the first: a meta group that has its map).
     */
    static final class EarlyMetaLeader extends MetaLeaderHere {
        final MetaStateMachine stateMachine = new MetaStateMachine();
        final AtomicLong index = new AtomicLong();
        final AtomicInteger proposals = new AtomicInteger();
        final int bootstrapAfter;
        final ClusterMap map;

        EarlyMetaLeader(int bootstrapAfter) {
            this(bootstrapAfter, INITIAL);
        }

        EarlyMetaLeader(int bootstrapAfter, ClusterMap map) {
            this.bootstrapAfter = bootstrapAfter;
            this.map = map;
        }

        @Override
        CompletableFuture<byte[]> propose(byte[] encoded) {
            synchronized (stateMachine) {
                if (proposals.incrementAndGet() == bootstrapAfter) {
                    stateMachine.apply(index.incrementAndGet(), MetaCodec.encode(new MetaCommand.Bootstrap(map)));
                }
                return CompletableFuture.completedFuture(stateMachine.apply(index.incrementAndGet(), encoded));
            }
        }
    }

    private static FragmentOperations operations(GroupDirectory groups) {
        return operations(groups, Delays.SYSTEM);
    }

    private static FragmentOperations operations(GroupDirectory groups, Delays delays) {
        PeerTransport noPeers = (peer, request, head, timeout) ->
                CompletableFuture.failedFuture(new IllegalStateException("no peers in this test"));
        FragmentCommands commands = new FragmentCommands(groups, noPeers, WallClock::millis, delays);
        return new FragmentOperations(
                new Fragments("n1:1", INITIAL, id -> Optional.empty()),
                commands,
                id -> Optional.empty(),
                WallClock::millis);
    }

    @Test
    void aChangeProposedBeforeTheMapIsBootstrappedWaitsForIt() throws Exception {
        EarlyMetaLeader meta = new EarlyMetaLeader(3);
        long epoch =
                operations(meta).meta(new MetaCommand.SetDraining("n2:1", true)).get(10, TimeUnit.SECONDS);

        assertThat(meta.proposals).as("refused twice, then taken").hasValue(3);
        assertThat(epoch).isEqualTo(2);
        assertThat(meta.stateMachine.map().node("n2:1").orElseThrow().draining())
                .isTrue();
    }

    @Test
    void aMapChangeTheMetaLeaderNeverAnswersFailsAfterItsTimeout() {
        GroupDirectory silentMeta = new MetaLeaderHere() {
            @Override
            CompletableFuture<byte[]> propose(byte[] encoded) {
                return new CompletableFuture<>(); // taken, never answered
            }
        };
        List<Long> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        Delays instant = new Delays() {
            @Override
            public CompletableFuture<Void> after(long millis) {
                waits.add(millis);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void execute(Runnable task) {
                task.run();
            }
        };
        FragmentOperations operations = operations(silentMeta, instant);

        CompletableFuture<Long> change = operations.meta(new MetaCommand.SetDraining("n2:1", true));

        assertThatThrownBy(() -> change.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(FragmentCommands.Unavailable.class)
                .hasMessageContaining("did not answer a map change");
        assertThat(waits).contains(11_000L);
    }

    @Test
    void anyOtherRefusalIsAnsweredAtOnce() {
        EarlyMetaLeader meta = new EarlyMetaLeader(1);
        CompletableFuture<Long> removed = operations(meta).meta(new MetaCommand.SetDraining("n9:1", true));

        assertThatThrownBy(() -> removed.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(FragmentOperations.Refused.class)
                .hasMessageContaining("no member n9:1");
        assertThat(meta.proposals).hasValue(1);
    }
}
