package io.arbiter.compat.ha;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The knobs of a high-availability run, from system properties ({@code -Dchaos.kills=20} ...), with defaults for
 * the short version that runs in {@code mvn verify}.
 *
 * @param kills       leader kills at least ({@code chaos.kills}, default 2)
 * @param minutes     keep killing until this many minutes have passed, 0 for no minimum ({@code chaos.minutes})
 * @param between     load on the full cluster before each kill ({@code chaos.between-s}, default 2)
 * @param down        how long a killed node stays down under load ({@code chaos.down-s}, default 6): longer than
 *                    the 5 s the applications have to resume, so the pause is measured without its help
 * @param atWorkers   AT worker threads ({@code chaos.at-workers}, default 2)
 * @param tccWorkers  TCC worker threads ({@code chaos.tcc-workers}, default 2)
 * @param items       stock rows ({@code chaos.items}, default 1000)
 * @param txTimeoutMs global transaction timeout of the workload ({@code chaos.tx-timeout-ms}, default 20000; the
 *                    client's default is 60000, shortened so that a transaction orphaned by a failure is rolled
 *                    back by the TC well within the run)
 * @param maxPause    the longest failover pause allowed ({@code chaos.max-pause-ms}, default 5000)
 * @param victim      which node each kill takes ({@code chaos.victim}: {@code leader}, the default,
 *                    {@code follower}, a random node that does not lead, {@code client_node}, the node the
 *                    raft-registry metadata names for this host, leader or not, or {@code other_node}, a random
 *                    node other than that one)
 * @param strict      ({@code chaos.strict}, default false) also fail on any failed application transaction and on
 *                    any worker that did not commit again within {@code maxPause}; without it those are reported,
 *                    and only failures outside the known classes fail the run
 */
public record ChaosSettings(
        int kills,
        double minutes,
        Duration between,
        Duration down,
        int atWorkers,
        int tccWorkers,
        int items,
        int txTimeoutMs,
        Duration maxPause,
        Victim victim,
        boolean strict) {

    /**
     * Which node a kill takes: the Raft leader, a random follower, the node the raft-registry metadata names for
     * this host (the node the client sends to), or a random node other than that one (leader or not).
     */
    public enum Victim {
        LEADER,
        FOLLOWER,
        CLIENT_NODE,
        OTHER_NODE
    }

    public static ChaosSettings fromSystemProperties() {
        return new ChaosSettings(
                Integer.getInteger("chaos.kills", 2),
                Double.parseDouble(System.getProperty("chaos.minutes", "0")),
                Duration.ofMillis((long) (1000 * Double.parseDouble(System.getProperty("chaos.between-s", "2")))),
                Duration.ofMillis((long) (1000 * Double.parseDouble(System.getProperty("chaos.down-s", "6")))),
                Integer.getInteger("chaos.at-workers", 2),
                Integer.getInteger("chaos.tcc-workers", 2),
                Integer.getInteger("chaos.items", 1000),
                Integer.getInteger("chaos.tx-timeout-ms", 20_000),
                Duration.ofMillis(Integer.getInteger("chaos.max-pause-ms", 5_000)),
                victim(System.getProperty("chaos.victim", "leader")),
                Boolean.getBoolean("chaos.strict"));
    }

    private static Victim victim(String value) {
        try {
            return Victim.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "chaos.victim must be leader, follower, client_node or other_node, got " + value, e);
        }
    }

    /** The same settings with another victim. */
    public ChaosSettings withVictim(Victim other) {
        return new ChaosSettings(
                kills, minutes, between, down, atWorkers, tccWorkers, items, txTimeoutMs, maxPause, other, strict);
    }

    /** The same settings, strict or not. */
    public ChaosSettings withStrict(boolean on) {
        return new ChaosSettings(
                kills, minutes, between, down, atWorkers, tccWorkers, items, txTimeoutMs, maxPause, victim, on);
    }

    /**
     * Server settings to start the nodes with: every system property {@code chaos.server.KEY=VALUE} becomes
     * {@code KEY=VALUE} (for example {@code -Dchaos.server.arbiter.metadata.leader-choice=CLIENT_ADDRESS}).
     */
    public static Map<String, String> serverSettings() {
        Map<String, String> out = new TreeMap<>();
        String prefix = "chaos.server.";
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(prefix))
                .forEach(k -> out.put(k.substring(prefix.length()), System.getProperty(k)));
        return out;
    }

    /** Whether another kill is due after {@code done} kills, {@code elapsed} into the run. */
    public boolean anotherKill(int done, Duration elapsed) {
        return done < kills || elapsed.toMillis() < minutes * 60_000;
    }

    public String describe() {
        return kills + " kills of the " + victim.name().toLowerCase(Locale.ROOT)
                + (minutes > 0 ? " and at least " + minutes + " min" : "") + ", " + between.toSeconds()
                + " s of load before each kill, killed node down " + down.toSeconds() + " s, " + atWorkers
                + " AT + " + tccWorkers + " TCC workers, " + items + " items, transaction timeout " + txTimeoutMs
                + " ms, max pause " + maxPause.toMillis() + " ms";
    }
}
