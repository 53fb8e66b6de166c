package io.arbiter.compat.soak;

import io.arbiter.compat.ha.Discovery;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The knobs of a soak run, from system properties. With {@code chaos.soak.minutes} absent or 0 (the default, as in
 * {@code mvn verify}) the soak does not run at all.
 *
 * @param minutes         how long the load runs ({@code chaos.soak.minutes}); 0 skips the soak
 * @param seed            the seed of every random choice of the run ({@code chaos.soak.seed}; default: drawn
 *                        afresh and printed, so that a run can be repeated with the same events)
 * @param fragments       fragments the cluster is created with ({@code chaos.soak.fragments}, 4)
 * @param discovery       how the client finds the nodes ({@code chaos.soak.discovery}: {@code raft}, the default,
 *                        or {@code static})
 * @param atWorkers       AT worker threads ({@code chaos.at-workers}, 2)
 * @param tccWorkers      TCC worker threads ({@code chaos.tcc-workers}, 2)
 * @param xaWorkers       XA worker threads ({@code chaos.xa-workers}, 1)
 * @param items           stock rows of each database ({@code chaos.items}, 1000)
 * @param txTimeoutMs     global transaction timeout the load asks for ({@code chaos.tx-timeout-ms}, 20000)
 * @param rollbackPercent share of transactions the application rolls back on purpose after their business
 *                        ({@code chaos.soak.rollback-percent}, 10)
 * @param gap             load between two events ({@code chaos.soak.gap-s}, {@code 10-30})
 * @param down            how long a killed node stays down ({@code chaos.soak.down-s}, {@code 2-10})
 * @param cut             how long a partitioned node stays cut off ({@code chaos.soak.cut-s}, {@code 3-12})
 * @param events          the kinds of event injected ({@code chaos.soak.events}: {@code kill}, {@code transfer},
 *                        {@code move}, {@code drain}, {@code partition}, comma-separated; {@code all}, the default)
 */
public record SoakSettings(
        double minutes,
        long seed,
        int fragments,
        Discovery discovery,
        int atWorkers,
        int tccWorkers,
        int xaWorkers,
        int items,
        int txTimeoutMs,
        int rollbackPercent,
        SecondsRange gap,
        SecondsRange down,
        SecondsRange cut,
        Set<EventKind> events) {

    public static SoakSettings fromSystemProperties() {
        String seed = System.getProperty("chaos.soak.seed", "").trim();
        return new SoakSettings(
                Double.parseDouble(System.getProperty("chaos.soak.minutes", "0")),
                seed.isEmpty() ? ThreadLocalRandom.current().nextLong(1L << 48) : Long.parseLong(seed),
                Integer.getInteger("chaos.soak.fragments", 4),
                discovery(System.getProperty("chaos.soak.discovery", "raft")),
                Integer.getInteger("chaos.at-workers", 2),
                Integer.getInteger("chaos.tcc-workers", 2),
                Integer.getInteger("chaos.xa-workers", 1),
                Integer.getInteger("chaos.items", 1000),
                Integer.getInteger("chaos.tx-timeout-ms", 20_000),
                Integer.getInteger("chaos.soak.rollback-percent", 10),
                SecondsRange.parse(System.getProperty("chaos.soak.gap-s", "10-30")),
                SecondsRange.parse(System.getProperty("chaos.soak.down-s", "2-10")),
                SecondsRange.parse(System.getProperty("chaos.soak.cut-s", "3-12")),
                EventKind.parse(System.getProperty("chaos.soak.events", "all")));
    }

    private static Discovery discovery(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "raft" -> Discovery.RAFT_REGISTRY;
            case "static" -> Discovery.STATIC_GROUPLIST;
            default -> throw new IllegalArgumentException("chaos.soak.discovery must be raft or static, got " + value);
        };
    }

    /** Whether a soak was asked for. */
    public boolean enabled() {
        return minutes > 0;
    }

    public int workers() {
        return atWorkers + tccWorkers + xaWorkers;
    }

    public String describe() {
        return minutes + " min of load, seed " + seed + ", " + fragments + " fragments, "
                + (discovery == Discovery.RAFT_REGISTRY ? "raft registry" : "static grouplist") + ", " + atWorkers
                + " AT + " + tccWorkers + " TCC + " + xaWorkers + " XA workers, " + items + " items, "
                + rollbackPercent + " % rolled back on purpose, transaction timeout " + txTimeoutMs
                + " ms; events " + events.stream().map(EventKind::word).toList() + " every " + gap + " of load, "
                + "a killed node down " + down + ", a cut " + cut;
    }
}
