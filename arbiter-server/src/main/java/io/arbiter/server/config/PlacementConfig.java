package io.arbiter.server.config;

import java.time.Duration;

/**
 * The placement loop's settings ({@code arbiter.placement.*}).
 *
 * @param enabled       whether the meta leader moves replicas and leaders by itself ({@code true}); with
 *                      {@code false} only operators do, and a membership change puts every fragment on every member
 * @param replicas      replicas per fragment ({@code 3}; fewer while the cluster has fewer members)
 * @param nodeDownAfter how long a member may be unreachable before its replicas are replaced (60 s; why in
 *                      docs/PLACEMENT.md)
 * @param maxOperators  placement operators running at once (4)
 * @param maxFragments  the most fragments load may create (64)
 * @param growAbove     open transactions that make a fragment overloaded in a one-second sample (256, TaaS's)
 * @param retireAfterCalm how long the cluster must stay calm before an extra fragment is retired (10 minutes)
 * @param resizeCooldown the least time between two fragment creations or retirements (60 s)
 */
public record PlacementConfig(
        boolean enabled,
        int replicas,
        Duration nodeDownAfter,
        int maxOperators,
        int maxFragments,
        int growAbove,
        Duration retireAfterCalm,
        Duration resizeCooldown) {
    public static final PlacementConfig DEFAULTS = new PlacementConfig(
            true, 3, Duration.ofSeconds(60), 4, 64, 256, Duration.ofMinutes(10), Duration.ofSeconds(60));
}
