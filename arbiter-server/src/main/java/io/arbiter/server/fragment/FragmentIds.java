package io.arbiter.server.fragment;

import io.arbiter.replication.ReplicaGroupConfig;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The Raft group id of each fragment of a cluster, and back. Fragment 0 keeps the id that the single-group layout
 * used ({@link ReplicaGroupConfig#groupIdOf} of the Seata group name), so a data directory written before fragments
 * existed starts as fragment 0; fragment {@code k} adds {@code k} to its low 64 bits, which keeps the mapping
 * invertible for the groups Ratis finds on disk.
 */
public final class FragmentIds {
    /** Fragment ids fit the 15 bits that transaction and branch ids reserve for them. */
    public static final int MAX_FRAGMENTS = 1 << 15;

    private final UUID base;

    public FragmentIds(String clusterGroup) {
        this.base = ReplicaGroupConfig.groupIdOf(clusterGroup);
    }

    /** The id {@link io.arbiter.server.routing.FragmentCommands} and peers use for the meta group. */
    public static final int META = -1;

    /** The meta group's id: the base id with the top bit of its high half flipped (no fragment's id can be it). */
    public UUID metaGroupId() {
        return new UUID(base.getMostSignificantBits() ^ Long.MIN_VALUE, base.getLeastSignificantBits());
    }

    public UUID groupId(int fragmentId) {
        if (fragmentId < 0 || fragmentId >= MAX_FRAGMENTS) {
            throw new IllegalArgumentException("fragment id out of range: " + fragmentId);
        }
        return new UUID(base.getMostSignificantBits(), base.getLeastSignificantBits() + fragmentId);
    }

    /** The fragment whose group id this is, or empty for a group of another cluster (or not a fragment). */
    public OptionalInt fragmentOf(UUID groupId) {
        if (groupId.getMostSignificantBits() != base.getMostSignificantBits()) {
            return OptionalInt.empty();
        }
        long k = groupId.getLeastSignificantBits() - base.getLeastSignificantBits();
        return k >= 0 && k < MAX_FRAGMENTS ? OptionalInt.of((int) k) : OptionalInt.empty();
    }

    /** The fragment a transaction or branch id belongs to (the bits above the core's 48 counter bits). */
    public static int fragmentOfId(long transactionOrBranchId) {
        return (int) (transactionOrBranchId >>> 48);
    }
}
