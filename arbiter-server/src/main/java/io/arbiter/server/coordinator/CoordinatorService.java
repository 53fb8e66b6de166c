package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import io.arbiter.replication.ReplicaGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits commands to the fragment's replica group and returns their results once committed and applied; reads
 * ({@link Command.Read}) are answered by the leader without a log entry.
 *
 * <p>Threading: thread-safe; never blocks the caller.
 */
public final class CoordinatorService {
    private final ReplicaGroup group;
    private final CoordinatorObserver observer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.function.BooleanSupplier lockOnly;

    public CoordinatorService(ReplicaGroup group) {
        this(group, CoordinatorObserver.NONE);
    }

    /** @param observer told how long each proposal took to be answered */
    public CoordinatorService(ReplicaGroup group, CoordinatorObserver observer) {
        this(group, observer, () -> false);
    }

    /**
     * @param lockOnly whether the fragment is lock-only now: then its lock commands ({@link Command.LeaderLocks}) are
     *     answered from the leader's memory, like reads, without a log entry
     */
    public CoordinatorService(
            ReplicaGroup group, CoordinatorObserver observer, java.util.function.BooleanSupplier lockOnly) {
        this.group = group;
        this.observer = observer;
        this.lockOnly = lockOnly;
    }

    /** Whether {@code command} is answered by the leader without a log entry. */
    private boolean withoutEntry(Command command) {
        return command instanceof Command.Read || (command instanceof Command.LeaderLocks && lockOnly.getAsBoolean());
    }

    /** Submits a command that is safe to apply twice (or whose retries do not matter). */
    public CompletableFuture<Result> submit(Command command) {
        return submit(null, command);
    }

    /**
     * Submits a command; with a request id, retries of the same request are applied once. A
     * {@linkplain Command.Read read} is answered by the leader without a log entry (linearizable).
     */
    public CompletableFuture<Result> submit(RequestId requestId, Command command) {
        byte[] encoded = CommandCodec.encode(new Proposal(requestId, command));
        return (withoutEntry(command) ? group.query(encoded) : propose(encoded)).thenApply(ResultCodec::decode);
    }

    /**
     * Proposes an already encoded proposal (from a peer) and completes with its encoded result; fails with an
     * {@link IllegalArgumentException} if the bytes are not a proposal.
     */
    public CompletableFuture<byte[]> submitEncoded(byte[] proposal) {
        Command command;
        try {
            command = CommandCodec.decode(proposal).command();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a coordinator proposal: " + e, e));
        }
        return withoutEntry(command) ? group.query(proposal) : propose(proposal);
    }

    /** Commands proposed through this service and not yet answered (a measure of the group's load now). */
    public int inFlight() {
        return inFlight.get();
    }

    private CompletableFuture<byte[]> propose(byte[] proposal) {
        inFlight.incrementAndGet();
        if (observer == CoordinatorObserver.NONE) {
            return group.propose(proposal).whenComplete((result, error) -> inFlight.decrementAndGet());
        }
        long start = System.nanoTime();
        CompletableFuture<byte[]> answer = group.propose(proposal);
        return answer.whenComplete((result, error) -> {
            inFlight.decrementAndGet();
            observer.proposalAnswered(System.nanoTime() - start, error == null);
        });
    }

    public boolean isLeader() {
        return group.isLeader();
    }
}
