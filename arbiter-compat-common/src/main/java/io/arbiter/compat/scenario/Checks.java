package io.arbiter.compat.scenario;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;

/** Small helpers shared by the scenarios (and the tests a version module adds to them). */
public final class Checks {
    /** Statuses a TC may report for a transaction that committed and was then forgotten. */
    public static final Set<String> COMMITTED_OR_GONE = Set.of("Committed", "Finished");
    /** Statuses a TC may report for a transaction that rolled back and was then forgotten. */
    public static final Set<String> ROLLED_BACK_OR_GONE = Set.of("Rollbacked", "Finished");
    /** Statuses of a transaction the TC rolled back because it timed out. */
    public static final Set<String> TIMED_OUT =
            Set.of("TimeoutRollbacking", "TimeoutRollbackRetrying", "TimeoutRollbacked", "Finished");

    private Checks() {}

    /** A tag no earlier test used. */
    public static String tag(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static ConditionFactory within(Duration d) {
        return Awaitility.await()
                .atMost(d)
                .pollInterval(Duration.ofMillis(100))
                .pollDelay(Duration.ZERO)
                .ignoreExceptions();
    }

    /** Asserts {@code check} now and keeps asserting it for {@code d} (nothing extra arrives later). */
    public static void stays(Duration d, ThrowingRunnable check) throws Throwable {
        long end = System.nanoTime() + d.toNanos();
        do {
            check.run();
            Thread.sleep(100);
        } while (System.nanoTime() < end);
        check.run();
    }
}
