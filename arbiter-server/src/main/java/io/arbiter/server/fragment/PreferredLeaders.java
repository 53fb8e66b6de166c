package io.arbiter.server.fragment;

import io.arbiter.replication.ReplicaGroupConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads fragment leaders over the nodes: each fragment prefers the first node of its replica list in the cluster
 * map (the initial map deals those round-robin), and a node that leads a fragment whose preferred node is another,
 * reachable, member hands leadership over to it. So leaders come back to their node after it restarts, and a
 * raft-registry client's node leads fragments of its own. A node that became reachable only recently, or a transfer
 * that failed, is given time before the next attempt.
 *
 * <p>Threading: {@link #run} on one scheduler thread (the housekeeping's); transfers complete on replication threads.
 */
public final class PreferredLeaders {
    private static final Logger LOG = LoggerFactory.getLogger(PreferredLeaders.class);
    /** A node must have been reachable this long before it is given leaderships (it catches up meanwhile). */
    static final long SETTLE_MILLIS = 5_000;
    /** Wait after a failed or started transfer of a fragment before trying it again. */
    static final long RETRY_MILLIS = 15_000;

    private final Fragments fragments;
    private final Predicate<String> reachable;
    private final LongSupplier clock;
    private final Map<String, Long> reachableSince = new HashMap<>();
    private final Map<Integer, Long> nextAttempt = new ConcurrentHashMap<>();

    public PreferredLeaders(Fragments fragments, Predicate<String> reachable, LongSupplier clock) {
        this.fragments = fragments;
        this.reachable = reachable;
        this.clock = clock;
    }

    /**
     * One round: hands over one fragment led here whose preferred node is ready (one at a time: the fragment takes
     * no writes while its transfer is pending, and several at once slowed each other down past their window).
     */
    public void run() {
        long now = clock.getAsLong();
        for (Fragment fragment : fragments.ledHere()) {
            Optional<String> target = preferred(fragment, now);
            if (target.isPresent()) {
                transfer(fragment, target.get(), now);
                return;
            }
        }
    }

    /** The node that should lead {@code fragment}, if it is another member that is ready to. */
    Optional<String> preferred(Fragment fragment, long now) {
        List<String> members = fragment.group().peers().stream()
                .map(ReplicaGroupConfig.Peer::id)
                .toList();
        Optional<String> first = fragments
                .map()
                .fragment(fragment.id())
                .flatMap(info ->
                        info.replicas().stream().filter(members::contains).findFirst());
        if (first.isEmpty() || first.get().equals(fragments.selfId())) {
            return Optional.empty();
        }
        String target = first.get();
        if (!reachable.test(target)) {
            reachableSince.remove(target);
            return Optional.empty();
        }
        long since = reachableSince.computeIfAbsent(target, t -> now);
        if (now - since < SETTLE_MILLIS || now < nextAttempt.getOrDefault(fragment.id(), 0L)) {
            return Optional.empty();
        }
        return first;
    }

    private void transfer(Fragment fragment, String target, long now) {
        nextAttempt.put(fragment.id(), now + RETRY_MILLIS);
        LOG.info("handing leadership of {} to its preferred node {}", fragment, target);
        fragment.group().transferLeadership(target).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.info("leadership of {} stays here for now: {}", fragment, error.toString());
            }
        });
    }
}
