package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.result.Result;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.FragmentCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the in-memory lock table of every lock-only fragment this node has just started to lead
 * ({@code docs/LOCKS.md} "Locks in the leader's memory"): reads the cluster map through the meta leader, runs
 * {@link Command.FenceAndList} for the leader's term and the fragment's slots in every other fragment of that map
 * that takes transactions (each voids the grants of earlier terms and lists its live transactions' rows in those
 * slots), then installs the rows with {@link Command.RebuildLocks}. Until then the fragment grants nothing. A round
 * that fails (a fragment without a leader for longer than {@link #FENCE_CALL}) is done again whole by the next run;
 * one whose term has passed changes nothing.
 *
 * <p>Threading: {@link #run} on the housekeeping thread (and from the leadership hook); it never waits.
 */
public final class LockTableRebuilds {
    private static final Logger LOG = LoggerFactory.getLogger(LockTableRebuilds.class);
    /** How often {@link #run} looks for a lock-only fragment to rebuild. */
    public static final Duration PERIOD = Duration.ofMillis(200);
    /** Longest wait for one fragment's fence, elections included. */
    static final Duration FENCE_CALL = Duration.ofSeconds(8);

    private final Fragments fragments;
    private final FragmentCommands commands;
    private final Supplier<CompletableFuture<ClusterMap>> linearizableMap;
    private final Set<Integer> running = ConcurrentHashMap.newKeySet();

    /**
     * @param linearizableMap reads the cluster map through the meta group's leader (not this node's copy, which may
     *     lag a fragment's creation)
     */
    public LockTableRebuilds(
            Fragments fragments, FragmentCommands commands, Supplier<CompletableFuture<ClusterMap>> linearizableMap) {
        this.fragments = fragments;
        this.commands = commands;
        this.linearizableMap = linearizableMap;
    }

    public void run() {
        for (Fragment f : fragments.ledHere()) {
            if (f.lockOnly() && !f.stateMachine().lockTableReady() && running.add(f.id())) {
                long term = f.stateMachine().leaderTerm();
                CompletableFuture<Void> round;
                try {
                    round = term < 0 ? CompletableFuture.completedFuture(null) : rebuild(f, term);
                } catch (RuntimeException e) {
                    round = CompletableFuture.failedFuture(e);
                }
                round.whenComplete((ignored, e) -> {
                    running.remove(f.id());
                    if (e != null) {
                        LOG.info("lock table of {} (term {}) not rebuilt yet: {}", f, term, e.toString());
                    }
                });
            }
        }
    }

    private CompletableFuture<Void> rebuild(Fragment lockFragment, long term) {
        long start = System.nanoTime();
        return linearizableMap.get().thenCompose(map -> {
            Command.FenceAndList fence = new Command.FenceAndList(
                    lockFragment.id(), term, map.slots().slotsOf(lockFragment.id()));
            List<CompletableFuture<Result>> answers = new ArrayList<>();
            for (ClusterMap.FragmentInfo f : map.fragments()) {
                if (f.id() != lockFragment.id() && !f.lockOnly()) {
                    answers.add(commands.submit(f.id(), null, fence, FENCE_CALL));
                }
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .thenCompose(ignored -> {
                        Map<Long, ForeignHolder> holders = new LinkedHashMap<>();
                        for (CompletableFuture<Result> answer : answers) {
                            Result r = answer.join();
                            if (!(r instanceof Result.ForeignLocks listed)) {
                                throw new IllegalStateException("a fence answered " + r);
                            }
                            listed.holders().forEach(h -> holders.put(h.transactionId(), h));
                        }
                        return lockFragment
                                .service()
                                .submit(new Command.RebuildLocks(term, List.copyOf(holders.values())))
                                .thenAccept(done -> {
                                    if (done instanceof Result.Done) {
                                        LOG.info(
                                                "{} rebuilt its lock table for term {}: {} transactions' rows from {} "
                                                        + "fragments in {} ms",
                                                lockFragment,
                                                term,
                                                holders.size(),
                                                answers.size(),
                                                (System.nanoTime() - start) / 1_000_000);
                                    }
                                });
                    });
        });
    }
}
