package io.arbiter.placement;

import java.util.Objects;

/**
 * One cluster member as the placement loop sees it.
 *
 * @param id                 the node's id (host:raftPort)
 * @param reachable          whether it answered recently
 * @param sinceMs            when {@code reachable} last changed ({@code -1}: not known, taken as long ago)
 * @param draining           an operator asked for everything to move off it
 * @param cpu                its process's CPU use, 0..1 of the machine (0 when unknown)
 */
public record NodeState(String id, boolean reachable, long sinceMs, boolean draining, double cpu) {
    public NodeState {
        Objects.requireNonNull(id, "id");
    }

    /** A reachable, not draining node with no CPU figure. */
    public static NodeState up(String id) {
        return new NodeState(id, true, -1, false, 0);
    }

    /** Unreachable for at least {@code downAfterMs}: its replicas are replaced. */
    public boolean down(long now, long downAfterMs) {
        return !reachable && sinceMs >= 0 && now - sinceMs >= downAfterMs;
    }

    /**
     * May receive replicas and leaders: reachable for at least {@code stableAfterMs} and not draining. A node that
     * just came back waits, so that one that keeps dropping out is not handed leaders only to lose them again.
     */
    public boolean usable(long now, long stableAfterMs) {
        return reachable && !draining && (sinceMs < 0 || now - sinceMs >= stableAfterMs);
    }

    public NodeState withReachable(boolean up, long now) {
        if (up == reachable) {
            return this;
        }
        return new NodeState(id, up, now, draining, cpu);
    }

    public NodeState withDraining(boolean drain) {
        return new NodeState(id, reachable, sinceMs, drain, cpu);
    }

    public NodeState withCpu(double share) {
        return new NodeState(id, reachable, sinceMs, draining, share);
    }
}
