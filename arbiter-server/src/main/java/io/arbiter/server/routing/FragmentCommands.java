package io.arbiter.server.routing;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import io.arbiter.protocol.message.PeerCommandRequest;
import io.arbiter.protocol.message.PeerCommandResponse;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.rpc.PeerTransport;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Runs a command in a given group (a fragment, or the meta group), wherever its leader is: proposed here when this node leads the
 * fragment, otherwise sent to the leader's node as a {@link PeerCommandRequest}; retried (same request id, so it is
 * applied at most once) across elections and leader changes until a deadline. This is how one fragment's leader
 * takes, releases and checks row locks in another fragment.
 *
 * <p>Threading: thread-safe, never blocks; futures complete on replication or event-loop threads.
 */
public final class FragmentCommands {
    /** Pause between attempts while the fragment has no known leader, or the one tried no longer leads. */
    static final long RETRY_DELAY_MILLIS = 50;
    /** Longest wait for one attempt on a peer. */
    private static final Duration PEER_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private final GroupDirectory groups;
    private final PeerTransport peers;
    private final LongSupplier clock;
    private final Delays delays;
    private final LockCallBatches lockCalls;

    public FragmentCommands(GroupDirectory groups, PeerTransport peers, LongSupplier clock) {
        this(groups, peers, clock, Delays.SYSTEM);
    }

    /** @param delays where the pauses between attempts come from ({@link Delays#SYSTEM} in production) */
    public FragmentCommands(GroupDirectory groups, PeerTransport peers, LongSupplier clock, Delays delays) {
        this.groups = groups;
        this.peers = peers;
        this.clock = clock;
        this.delays = delays;
        this.lockCalls = new LockCallBatches((f, command, within) -> submit(f, null, command, within), clock);
    }

    /** What this node's lock calls to lock-only fragments were sent as (for metrics). */
    public LockCallStats lockCallStats() {
        return lockCalls.stats();
    }

    /** Where this node's pauses between attempts come from (virtual in the simulation). */
    public Delays delays() {
        return delays;
    }

    /** Failure of a fragment command that was not applied within its deadline (or was refused). */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Applies {@code command} in fragment {@code fragmentId} and completes with its result, or fails with
     * {@link Unavailable} when no leader applied it within {@code within}. With a null {@code requestId} the command
     * must be safe to apply more than once. The deadline ends the attempts; an attempt that this node's own leader
     * took ends as its replica group answers it, at the latest after the group's commit timeout (10 s by default,
     * {@code ReplicaGroup#propose}); {@code FragmentOperations} also bounds its map changes itself.
     */
    public CompletableFuture<Result> submit(int fragmentId, RequestId requestId, Command command, Duration within) {
        byte[] proposal = CommandCodec.encode(new Proposal(requestId, command));
        return submitEncoded(fragmentId, proposal, within).thenApply(ResultCodec::decode);
    }

    /**
     * Runs a lock command in fragment {@code fragmentId} as {@link #submit} does; to a lock-only fragment (whose
     * leader answers lock commands from memory, so a retry needs no request id) together with the other lock calls
     * this node has for it meanwhile ({@link LockCallBatches}).
     */
    public CompletableFuture<Result> submitLocks(
            int fragmentId, RequestId requestId, Command.LeaderLocks command, Duration within) {
        return groups.lockOnly(fragmentId)
                ? lockCalls.submit(fragmentId, command, within)
                : submit(fragmentId, requestId, command, within);
    }

    /**
     * Proposes already encoded bytes to group {@code groupId} (a fragment, or the meta group) on whichever node leads
     * it; completes with the encoded answer, or fails with {@link Unavailable} once {@code within} passed without a
     * leader taking it (see {@link #submit} for a proposal this node's leader took).
     */
    public CompletableFuture<byte[]> submitEncoded(int groupId, byte[] encoded, Duration within) {
        return attempt(groupId, encoded, clock.getAsLong() + within.toMillis());
    }

    private CompletableFuture<byte[]> attempt(int fragmentId, byte[] proposal, long deadline) {
        Optional<GroupDirectory.Proposer> here = groups.ledHere(fragmentId);
        CompletableFuture<Optional<byte[]>> tried;
        if (here.isPresent()) {
            tried = here.get().propose(proposal).handle((result, error) -> {
                if (error != null && !Leadership.isLost(error)) {
                    throw new Unavailable("fragment " + fragmentId + ": " + Leadership.unwrap(error));
                }
                return Optional.ofNullable(error == null ? result : null);
            });
        } else {
            Optional<ClusterMember> leader = groups.leaderOf(fragmentId).filter(m -> !m.id().equals(groups.selfId()));
            tried = leader.isEmpty()
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : onPeer(leader.get(), fragmentId, proposal);
        }
        return tried.thenCompose(result -> {
            if (result.isPresent()) {
                return CompletableFuture.completedFuture(result.get());
            }
            if (clock.getAsLong() >= deadline) {
                return CompletableFuture.failedFuture(
                        new Unavailable("fragment " + fragmentId + " has no reachable leader"));
            }
            return delays.after(RETRY_DELAY_MILLIS).thenCompose(ignored -> attempt(fragmentId, proposal, deadline));
        });
    }

    private CompletableFuture<Optional<byte[]>> onPeer(ClusterMember leader, int fragmentId, byte[] proposal) {
        return peers.call(leader, new PeerCommandRequest(fragmentId, proposal), Map.of(), PEER_ATTEMPT_TIMEOUT)
                .handle((answer, error) -> {
                    if (error == null && answer instanceof PeerCommandResponse r) {
                        if (r.outcome() == PeerCommandResponse.Outcome.REFUSED) {
                            throw new Unavailable(
                                    "node " + leader.id() + " refused a command for fragment " + fragmentId);
                        }
                        if (r.outcome() == PeerCommandResponse.Outcome.NOT_LEADER) {
                            groups.notLeader(fragmentId, leader.id());
                            return Optional.<byte[]>empty();
                        }
                        return Optional.of(r.result());
                    }
                    // link failure or timeout (a dead node): guess the next replica too, or a node that does not
                    // hold the fragment would keep trying the same dead guess until the deadline
                    groups.notLeader(fragmentId, leader.id());
                    return Optional.<byte[]>empty();
                });
    }

    /** Serves a peer's {@link PeerCommandRequest}: proposes it here if this node leads the fragment. */
    public CompletableFuture<PeerCommandResponse> serve(PeerCommandRequest request) {
        Optional<GroupDirectory.Proposer> here = groups.ledHere(request.fragmentId());
        if (here.isEmpty()) {
            return CompletableFuture.completedFuture(
                    groups.exists(request.fragmentId())
                            ? PeerCommandResponse.notLeader()
                            : PeerCommandResponse.refused());
        }
        return here.get().propose(request.command()).handle((result, error) -> {
            if (error == null) {
                return PeerCommandResponse.applied(result);
            }
            return Leadership.isLost(error) ? PeerCommandResponse.notLeader() : PeerCommandResponse.refused();
        });
    }
}
