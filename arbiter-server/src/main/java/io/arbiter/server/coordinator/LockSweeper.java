package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.core.result.Result;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.FragmentCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no row lock outlives its transaction when the transaction lives in another fragment: for every fragment
 * this node leads, it lists the foreign transactions holding locks there since at least {@link #MIN_AGE}, asks each
 * one's own fragment whether it is over ({@link Command.QueryAlive}: ended, timed out, or never begun below that
 * fragment's id mark), and releases the locks of those that are. The normal release comes from the transaction's
 * fragment when it ends; this catches what that misses (a leader that died between the two, a register whose answer
 * was lost, a late lock request).
 *
 * <p>Threading: {@link #run} on the housekeeping thread; it only proposes and never waits.
 */
public final class LockSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(LockSweeper.class);
    /** Locks taken more recently than this are left alone (their transaction's fragment is still working). */
    static final Duration MIN_AGE = Duration.ofSeconds(10);
    /** How often {@link #run} is called. */
    public static final Duration PERIOD = Duration.ofSeconds(5);

    private final Fragments fragments;
    private final FragmentCommands commands;
    private final LongSupplier clock;

    public LockSweeper(Fragments fragments, FragmentCommands commands, LongSupplier clock) {
        this.fragments = fragments;
        this.commands = commands;
        this.clock = clock;
    }

    public void run() {
        long before = clock.getAsLong() - MIN_AGE.toMillis();
        for (Fragment fragment : fragments.ledHere()) {
            fragment.service().submit(new Command.ListForeignHolders(before)).whenComplete((res, e) -> {
                if (e == null
                        && res instanceof Result.Holders holders
                        && !holders.transactionIds().isEmpty()) {
                    check(fragment, holders.transactionIds());
                }
            });
        }
    }

    private void check(Fragment fragment, List<Long> holders) {
        Map<Integer, List<Long>> byOwner = new TreeMap<>();
        for (long id : holders) {
            byOwner.computeIfAbsent(FragmentIds.fragmentOfId(id), f -> new ArrayList<>())
                    .add(id);
        }
        // a holder whose fragment this node's map does not know is asked all the same (the map may lag a creation);
        // one whose fragment was dropped stays held: a known gap (docs/LOCKS.md), rare (a lost release, then a drop)
        byOwner.forEach((owner, ids) -> ask(fragment, owner, ids));
    }

    private void ask(Fragment fragment, int owner, List<Long> ids) {
        commands.submit(owner, null, new Command.QueryAlive(ids), PERIOD).whenComplete((res, e) -> {
            if (e != null || !(res instanceof Result.Liveness liveness)) {
                return; // next round
            }
            release(fragment, liveness.ended());
        });
    }

    private static void release(Fragment fragment, List<Long> ended) {
        for (long id : ended) {
            LOG.info("releasing the locks that ended transaction {} still held in {}", id, fragment);
            fragment.service().submit(new Command.ReleaseLocks(id, List.of()));
        }
    }
}
