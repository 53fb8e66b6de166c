package io.arbiter.server.sim;

import ch.qos.logback.classic.Level;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A seeded, deterministic simulation of the server layer over many fragments (see the package doc). Clients begin
 * transactions on any node, register AT branches whose rows span fragments (over a small pool of rows, so they
 * contend), TCC, XA and Saga branches, report branches, query status and locks, commit, roll back, report Saga
 * outcomes or let transactions time out. Meanwhile fragment leaders die (also right while a branch's locks are being
 * taken, in the transaction's fragment or a lock's), the cluster map changes (preferred leaders move, fragments stop
 * and start taking begins; each node learns it late), a node goes down for 5 to 20 s (no peer or client reaches it,
 * the fragments it led elect another replica, it catches up when back), peer messages are lost, duplicated and
 * delayed, replicas lag, and the RMs sometimes fail phase-two calls. After every event the invariants hold:
 * <ol>
 *   <li>no row is held by two live transactions, over all fragments' committed lock state;</li>
 *   <li>a live AT branch whose transaction still holds its locks holds every one of its rows, in the fragment that
 *       owns the row's slot;</li>
 *   <li>a transaction that ended holds no lock in its own fragment, and none anywhere
 *       after the sweeper's bound ({@link SimChecks#PERIOD_AND_ROUND_MILLIS});</li>
 *   <li>no decision is lost or reversed: a transaction is never both committed and rolled back (statuses, RM calls,
 *       answers to the TM), a commit acknowledged to the TM is never rolled back;</li>
 *   <li>every branch of a transaction that ended Committed / Rollbacked / TimeoutRollbacked through phase two was
 *       committed / rolled back at its RM.</li>
 * </ol>
 * After a quiet period at the end, nothing is live, no lock is left and every replica equals its fragment's committed
 * state. The seed is in every failure message; {@code -Dsim.seed=N} replays one run, {@code -Dsim.runs=N} runs more.
 */
class FragmentSimulationTest {
    private static Level savedLevel;

    @BeforeAll
    static void quiet() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.arbiter");
        savedLevel = root.getLevel();
        root.setLevel(Level.ERROR);
    }

    @AfterAll
    static void restore() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.arbiter")).setLevel(savedLevel);
    }

    @Test
    void serverKeepsTheLockAndDecisionInvariantsUnderFaults() {
        runSeeds(0);
    }

    /**
     * The same with two lock-only fragments ({@code arbiter.lock-table=memory}): their rows live in their leaders'
     * memory, so the lock-leader deaths (also during an acquisition and during a rebuild) test the rebuild and the
     * fences.
     */
    @Test
    void lockOnlyFragmentsKeepTheInvariantsUnderFaults() {
        runSeeds(2);
    }

    private static void runSeeds(int lockOnlyFragments) {
        String fixed = System.getProperty("sim.seed");
        int runs = Integer.getInteger("sim.runs", 2);
        List<Long> seeds = new ArrayList<>();
        if (fixed != null) {
            seeds.add(Long.parseLong(fixed));
        } else {
            java.util.Random seeder = new java.util.Random(Long.getLong("sim.base", 20240501L));
            for (int i = 0; i < runs; i++) {
                seeds.add(seeder.nextLong());
            }
        }
        for (long seed : seeds) {
            FragmentSimulation sim = new FragmentSimulation(seed, lockOnlyFragments);
            try {
                sim.run();
            } catch (Throwable e) {
                throw new AssertionError(
                        "simulation (" + lockOnlyFragments + " lock-only fragments) failed with seed " + seed
                                + " at virtual time " + (sim.loop.now() - sim.start)
                                + " ms (replay: -Dsim.seed=" + seed + "): " + e.getMessage(),
                        e);
            }
        }
    }
}
