package io.arbiter.placement;

/**
 * The scheduler's and executor's knobs.
 *
 * @param replicas               replicas per fragment (fewer when the cluster has fewer usable nodes)
 * @param nodeDownAfterMs        how long a node may be unreachable before its replicas are replaced. Default 60 s:
 *                               a process restart (5-20 s here) or a short network cut never moves anything,
 *                               while a fragment's state is small (open transactions and locks, a snapshot of
 *                               megabytes), so a needless repair costs one snapshot copy and the removal of the
 *                               stale replica when the node returns; waiting longer only lengthens the time spent
 *                               with 2 of 3 replicas, where one more failure stops the fragment
 * @param stableAfterMs          how long a node that came back must stay reachable before it receives replicas or
 *                               leaders (30 s)
 * @param maxInFlight            operators running at once in the whole cluster
 * @param stepTimeoutMs          how long one step may take before its operator is abandoned
 * @param balanceTolerance       the allowed deviation from the mean, as a share of it (at least 1 replica/leader)
 * @param overloadedAbove        a fragment with more open transactions than this is overloaded in a sample (TaaS: 256)
 * @param overloadedSamplesToGrow overloaded samples out of the last 60 that make a new fragment (TaaS: more than 10 %)
 * @param resizeCooldownMs       the least time between two fragment creations or retirements
 * @param minFragments           never fewer fragments taking begins than this (the count the cluster was made with)
 * @param maxFragments           never more fragments than this
 * @param calmBelow              a sample is calm when no fragment has more open transactions than this
 * @param retireAfterCalmMs      how long the cluster must stay calm before one extra fragment is retired
 * @param loadImbalance          a node whose leaders apply more than this times the mean of commands/s is moved from
 * @param loadMinCommandsPerSecond below this many commands/s on the busiest node, load is not balanced
 * @param loadMoveCooldownMs     a fragment whose leader moved for load is not moved for load again within this
 */
public record PlacementSettings(
        int replicas,
        long nodeDownAfterMs,
        long stableAfterMs,
        int maxInFlight,
        long stepTimeoutMs,
        double balanceTolerance,
        int overloadedAbove,
        int overloadedSamplesToGrow,
        long resizeCooldownMs,
        int minFragments,
        int maxFragments,
        int calmBelow,
        long retireAfterCalmMs,
        double loadImbalance,
        double loadMinCommandsPerSecond,
        long loadMoveCooldownMs) {
    public PlacementSettings {
        if (replicas < 1
                || nodeDownAfterMs < 0
                || stableAfterMs < 0
                || maxInFlight < 1
                || stepTimeoutMs <= 0
                || balanceTolerance < 0
                || overloadedSamplesToGrow < 1
                || overloadedSamplesToGrow > LoadWindow.SAMPLES
                || minFragments < 1
                || maxFragments < minFragments
                || calmBelow >= overloadedAbove
                || loadImbalance <= 1) {
            throw new IllegalArgumentException("inconsistent placement settings: " + this);
        }
    }

    /** The defaults, for a cluster made with {@code fragments} fragments. */
    public static PlacementSettings defaults(int fragments) {
        return new PlacementSettings(
                3,
                60_000,
                30_000,
                4,
                120_000,
                0.05,
                256,
                7,
                60_000,
                fragments,
                Math.max(64, fragments),
                64,
                600_000,
                1.5,
                200,
                300_000);
    }

    public PlacementSettings withNodeDownAfter(long ms) {
        return new PlacementSettings(
                replicas,
                ms,
                stableAfterMs,
                maxInFlight,
                stepTimeoutMs,
                balanceTolerance,
                overloadedAbove,
                overloadedSamplesToGrow,
                resizeCooldownMs,
                minFragments,
                maxFragments,
                calmBelow,
                retireAfterCalmMs,
                loadImbalance,
                loadMinCommandsPerSecond,
                loadMoveCooldownMs);
    }

    public PlacementSettings withMaxInFlight(int operators) {
        return new PlacementSettings(
                replicas,
                nodeDownAfterMs,
                stableAfterMs,
                operators,
                stepTimeoutMs,
                balanceTolerance,
                overloadedAbove,
                overloadedSamplesToGrow,
                resizeCooldownMs,
                minFragments,
                maxFragments,
                calmBelow,
                retireAfterCalmMs,
                loadImbalance,
                loadMinCommandsPerSecond,
                loadMoveCooldownMs);
    }

    public PlacementSettings withFragmentLimits(int min, int max) {
        return new PlacementSettings(
                replicas,
                nodeDownAfterMs,
                stableAfterMs,
                maxInFlight,
                stepTimeoutMs,
                balanceTolerance,
                overloadedAbove,
                overloadedSamplesToGrow,
                resizeCooldownMs,
                min,
                max,
                calmBelow,
                retireAfterCalmMs,
                loadImbalance,
                loadMinCommandsPerSecond,
                loadMoveCooldownMs);
    }

    public PlacementSettings withRetireAfterCalm(long ms) {
        return new PlacementSettings(
                replicas,
                nodeDownAfterMs,
                stableAfterMs,
                maxInFlight,
                stepTimeoutMs,
                balanceTolerance,
                overloadedAbove,
                overloadedSamplesToGrow,
                resizeCooldownMs,
                minFragments,
                maxFragments,
                calmBelow,
                ms,
                loadImbalance,
                loadMinCommandsPerSecond,
                loadMoveCooldownMs);
    }

    /** How far from the mean a node's count may be: {@link #balanceTolerance} of it, and at least 1. */
    public int tolerance(double mean) {
        return Math.max(1, (int) Math.floor(mean * balanceTolerance));
    }
}
