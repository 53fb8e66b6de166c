package io.arbiter.server.placement;

import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.meta.FragmentOperations;
import io.arbiter.server.meta.MetaCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A change of the cluster's members while placement runs ({@code /metadata/v1/changeCluster},
 * {@code bin/arbiter members}): a new member is recorded in the map and placement gives it its share; a member
 * that leaves is drained first (placement moves its replicas and leaders to the others) and recorded as gone once
 * it holds nothing. The answer comes when the map has the new member list.
 *
 * <p>Threading: thread-safe; never blocks (waiting is a chain of delayed checks).
 */
public final class MembershipChanges {
    /** How long a leaving member's drain may take. */
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);

    private static final long CHECK_MILLIS = 500;
    /** How long the answer waits for this node to follow the changed map. */
    private static final long FOLLOW_LIMIT_MILLIS = 5_000;

    private final FragmentOperations operations;
    private final Fragments fragments;
    private final LongSupplier clock;

    public MembershipChanges(FragmentOperations operations, Fragments fragments, LongSupplier clock) {
        this.operations = operations;
        this.fragments = fragments;
        this.clock = clock;
    }

    /** Makes {@code ids} the members. */
    public CompletableFuture<Void> change(List<String> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a cluster needs at least one member"));
        }
        long deadline = clock.getAsLong() + DRAIN_LIMIT.toMillis();
        List<String> current = fragments.map().members();
        List<String> union = new ArrayList<>(current);
        ids.stream().filter(id -> !union.contains(id)).forEach(union::add);
        List<String> leaving = current.stream().filter(id -> !ids.contains(id)).toList();
        CompletableFuture<Long> done = union.size() == current.size()
                ? CompletableFuture.completedFuture(fragments.map().epoch())
                : meta(new MetaCommand.SetMembers(union), deadline);
        for (String node : leaving) {
            done = done.thenCompose(x -> meta(new MetaCommand.SetDraining(node, true), deadline));
        }
        if (!leaving.isEmpty()) {
            done = done.thenCompose(x -> emptied(leaving, deadline))
                    .thenCompose(x -> operations.meta(new MetaCommand.SetMembers(ids)));
        }
        return done.thenCompose(epoch -> followed(epoch, clock.getAsLong() + FOLLOW_LIMIT_MILLIS));
    }

    /**
     * Completes once this node follows the map of {@code epoch} (a moment after the meta group applied it), so that
     * whoever asked reads the new members from this node at once; after {@code until} in any case.
     */
    private CompletableFuture<Void> followed(long epoch, long until) {
        if (fragments.map().epoch() >= epoch || clock.getAsLong() >= until) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
                .thenCompose(x -> followed(epoch, until));
    }

    /** Proposes a map change, again while the map is not bootstrapped yet (right after the cluster started). */
    private CompletableFuture<Long> meta(MetaCommand command, long deadline) {
        return operations.meta(command, deadline);
    }

    /** Completes once no node of {@code leaving} holds a replica any more (as this node's map says). */
    private CompletableFuture<Void> emptied(List<String> leaving, long deadline) {
        List<String> holding = leaving.stream()
                .filter(n -> !fragments.map().hostedBy(n).isEmpty())
                .toList();
        if (holding.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (clock.getAsLong() >= deadline) {
            return CompletableFuture.failedFuture(new IllegalStateException("node(s) " + holding
                    + " still hold replicas after " + DRAIN_LIMIT.toMinutes() + " minutes of draining"));
        }
        return CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(CHECK_MILLIS, TimeUnit.MILLISECONDS))
                .thenCompose(x -> emptied(leaving, deadline));
    }
}
