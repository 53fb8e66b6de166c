package io.arbiter.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.message.PeerCommandResponse;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.rpc.PeerTransport;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Commands to a fragment this node holds no replica of go to a guessed leader; a guess that is dead (the link
 * fails) moves the guess on, as a "not leader" answer does, so the command reaches the live leader well within its
 * deadline instead of retrying the dead node until it expires.
 */
class FragmentCommandsTest {
    private static final ClusterMember DEAD = ClusterMember.fromRaftAddress("10.0.0.1", 9091);
    private static final ClusterMember LIVE = ClusterMember.fromRaftAddress("10.0.0.2", 9091);

    /** A directory that guesses the replicas in turn, moving on whenever told "not leader". */
    private static final class Guesses implements GroupDirectory {
        final List<ClusterMember> replicas = List.of(DEAD, LIVE);
        final AtomicInteger guess = new AtomicInteger();

        @Override
        public Optional<Proposer> ledHere(int id) {
            return Optional.empty();
        }

        @Override
        public Optional<ClusterMember> leaderOf(int id) {
            return Optional.of(replicas.get(guess.get() % replicas.size()));
        }

        @Override
        public void notLeader(int id, String nodeId) {
            if (leaderOf(id).get().id().equals(nodeId)) {
                guess.incrementAndGet();
            }
        }

        @Override
        public boolean exists(int id) {
            return true;
        }

        @Override
        public String selfId() {
            return "10.0.0.3_9091";
        }
    }

    @Test
    void aDeadGuessedLeaderIsSkipped() throws Exception {
        List<String> tried = new ArrayList<>();
        PeerTransport peers = (peer, request, head, timeout) -> {
            tried.add(peer.id());
            return peer.equals(DEAD)
                    ? CompletableFuture.failedFuture(new ConnectException("refused"))
                    : CompletableFuture.<SeataMessage>completedFuture(PeerCommandResponse.applied(new byte[] {42}));
        };
        SkippingClock clock = new SkippingClock(0);
        FragmentCommands commands = new FragmentCommands(new Guesses(), peers, clock::now, clock);
        byte[] answer =
                commands.submitEncoded(1, new byte[] {1}, Duration.ofSeconds(8)).get(5, TimeUnit.SECONDS);
        assertThat(answer).containsExactly(42);
        assertThat(tried).containsExactly(DEAD.id(), LIVE.id());
    }
}
