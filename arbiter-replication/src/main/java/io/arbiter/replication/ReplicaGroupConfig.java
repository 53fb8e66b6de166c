package io.arbiter.replication;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Immutable configuration of one replica of one group, validated on construction. Build it with
 * {@link #builder(UUID, String, Path)}; defaults follow {@code shared/reference/ratis-measured.md}.
 *
 * @param groupId group id; {@link #groupIdOf(String)} derives a stable one from a name such as Seata's raft group
 * @param selfId the id of this replica; must be one of {@code peers}
 * @param peers the group's initial members with their host and replication port. They are used only when the
 *     replica's storage is new: Raft stores every committed membership change with its log, and a restart recovers
 *     the membership from there, whatever this list says. When {@code joining}, only this replica's own entry is used
 *     (for its address); the others may be listed for documentation
 * @param storageDir directory holding the log and snapshots of this replica
 * @param fsync whether a log entry is forced to disk before it counts as written (default {@code true})
 * @param snapshotThresholdEntries take a snapshot after this many log entries since the last one (default 50 000)
 * @param snapshotInterval also take a snapshot this often if anything was applied since the last one; zero
 *     disables the timer (default 10 min, Seata's {@code snapshot-interval})
 * @param maxCommandsPerEntry most commands packed into one log entry (default 256)
 * @param maxOutstandingEntries most entries proposed by this replica and not yet applied (default 32)
 * @param electionTimeoutMin lower bound of the randomised election timeout (default 1 s)
 * @param electionTimeoutMax upper bound of the randomised election timeout (default 2 s)
 * @param logSegmentSizeBytes size at which a log segment file is closed and a new one begun (default 1 MiB: Ratis
 *     keeps the open segment's entries in memory, and on a busy node they were medium-lived garbage for the GC)
 * @param logSegmentCacheBytes memory for cached log segments (default 8 MiB)
 * @param joining start as a new replica of an existing group: it does not campaign and waits until a member adds
 *     it with {@link ReplicaGroup#changePeers} (default {@code false}). Without it, a new replica given only itself
 *     would elect itself leader of a separate one-replica group. Ignored once the storage holds a configuration
 * @param commitTimeout longest time a proposal handed to Raft may stay uncommitted before it fails as
 *     indeterminate, even if this replica still leads (default 10 s); after a loss of leadership it fails within
 *     about one election timeout anyway
 * @param adminTimeout deadline of {@link ReplicaGroup#changePeers} and {@link ReplicaGroup#transferLeadership},
 *     including the new peers' catch-up (default 60 s)
 */
public record ReplicaGroupConfig(
        UUID groupId,
        String selfId,
        List<Peer> peers,
        Path storageDir,
        boolean fsync,
        long snapshotThresholdEntries,
        Duration snapshotInterval,
        int maxCommandsPerEntry,
        int maxOutstandingEntries,
        Duration electionTimeoutMin,
        Duration electionTimeoutMax,
        long logSegmentSizeBytes,
        long logSegmentCacheBytes,
        boolean joining,
        Duration commitTimeout,
        Duration adminTimeout) {

    /** One member of a group. */
    public record Peer(String id, String host, int port) {
        public Peer {
            requireText(id, "peer id");
            requireText(host, "peer host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("peer " + id + ": port " + port + " is not in 1..65535");
            }
        }

        /** {@code host:port}. */
        public String address() {
            return host + ":" + port;
        }

        /**
         * Checks a list of members: at least one, no id twice (with different addresses or not).
         *
         * @return an immutable copy of {@code members}
         * @throws IllegalArgumentException if the list is empty or an id appears twice
         */
        public static List<Peer> checkMembers(List<Peer> members) {
            List<Peer> copy = List.copyOf(Objects.requireNonNull(members, "peers"));
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("a group needs at least one peer");
            }
            Set<String> ids = new HashSet<>();
            for (Peer p : copy) {
                if (!ids.add(p.id())) {
                    throw new IllegalArgumentException("peer id " + p.id() + " appears twice");
                }
            }
            return copy;
        }
    }

    public ReplicaGroupConfig {
        Objects.requireNonNull(groupId, "groupId");
        requireText(selfId, "selfId");
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        Objects.requireNonNull(storageDir, "storageDir");
        Objects.requireNonNull(snapshotInterval, "snapshotInterval");
        Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
        Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
        Objects.requireNonNull(commitTimeout, "commitTimeout");
        Objects.requireNonNull(adminTimeout, "adminTimeout");
        Peer.checkMembers(peers);
        Set<String> ids = new HashSet<>();
        peers.forEach(p -> ids.add(p.id()));
        if (!ids.contains(selfId)) {
            throw new IllegalArgumentException("selfId " + selfId + " is not one of the peers " + ids);
        }
        requirePositive(snapshotThresholdEntries, "snapshotThresholdEntries");
        requirePositive(maxCommandsPerEntry, "maxCommandsPerEntry");
        requirePositive(maxOutstandingEntries, "maxOutstandingEntries");
        requirePositive(logSegmentSizeBytes, "logSegmentSizeBytes");
        requirePositive(logSegmentCacheBytes, "logSegmentCacheBytes");
        if (snapshotInterval.isNegative()) {
            throw new IllegalArgumentException("snapshotInterval must not be negative: " + snapshotInterval);
        }
        if (electionTimeoutMin.isNegative()
                || electionTimeoutMin.isZero()
                || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("need 0 < electionTimeoutMin < electionTimeoutMax, got "
                    + electionTimeoutMin + " and " + electionTimeoutMax);
        }
        requirePositive(commitTimeout, "commitTimeout");
        requirePositive(adminTimeout, "adminTimeout");
    }

    /** This replica's own entry in {@link #peers()}. */
    public Peer self() {
        return peers.stream().filter(p -> p.id().equals(selfId)).findFirst().orElseThrow();
    }

    /** A stable group id for a group name: the same name gives the same id on every node. */
    public static UUID groupIdOf(String name) {
        requireText(name, "group name");
        return UUID.nameUUIDFromBytes(("arbiter-group:" + name).getBytes(StandardCharsets.UTF_8));
    }

    public static Builder builder(UUID groupId, String selfId, Path storageDir) {
        return new Builder(groupId, selfId, storageDir);
    }

    /** Starts from this configuration, for changing a few fields. */
    public Builder toBuilder() {
        return new Builder(groupId, selfId, storageDir)
                .peers(peers)
                .fsync(fsync)
                .snapshotThresholdEntries(snapshotThresholdEntries)
                .snapshotInterval(snapshotInterval)
                .maxCommandsPerEntry(maxCommandsPerEntry)
                .maxOutstandingEntries(maxOutstandingEntries)
                .electionTimeout(electionTimeoutMin, electionTimeoutMax)
                .logSegmentSizeBytes(logSegmentSizeBytes)
                .logSegmentCacheBytes(logSegmentCacheBytes)
                .joining(joining)
                .commitTimeout(commitTimeout)
                .adminTimeout(adminTimeout);
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    private static void requirePositive(long v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private final UUID groupId;
        private final String selfId;
        private final Path storageDir;
        private List<Peer> peers = List.of();
        private boolean fsync = true;
        private long snapshotThresholdEntries = 50_000;
        private Duration snapshotInterval = Duration.ofMinutes(10);
        private int maxCommandsPerEntry = 256;
        private int maxOutstandingEntries = 32;
        private Duration electionTimeoutMin = Duration.ofSeconds(1);
        private Duration electionTimeoutMax = Duration.ofSeconds(2);
        private long logSegmentSizeBytes = 1L << 20;
        private long logSegmentCacheBytes = 8L << 20;
        private boolean joining;
        private Duration commitTimeout = Duration.ofSeconds(10);
        private Duration adminTimeout = Duration.ofSeconds(60);

        private Builder(UUID groupId, String selfId, Path storageDir) {
            this.groupId = groupId;
            this.selfId = selfId;
            this.storageDir = storageDir;
        }

        public Builder peers(List<Peer> peers) {
            this.peers = peers;
            return this;
        }

        /** A single-replica group: this replica alone, on {@code host:port}. */
        public Builder singlePeer(String host, int port) {
            return peers(List.of(new Peer(selfId, host, port)));
        }

        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        public Builder snapshotThresholdEntries(long entries) {
            this.snapshotThresholdEntries = entries;
            return this;
        }

        public Builder snapshotInterval(Duration interval) {
            this.snapshotInterval = interval;
            return this;
        }

        public Builder maxCommandsPerEntry(int n) {
            this.maxCommandsPerEntry = n;
            return this;
        }

        public Builder maxOutstandingEntries(int n) {
            this.maxOutstandingEntries = n;
            return this;
        }

        public Builder electionTimeout(Duration min, Duration max) {
            this.electionTimeoutMin = min;
            this.electionTimeoutMax = max;
            return this;
        }

        public Builder logSegmentSizeBytes(long bytes) {
            this.logSegmentSizeBytes = bytes;
            return this;
        }

        public Builder logSegmentCacheBytes(long bytes) {
            this.logSegmentCacheBytes = bytes;
            return this;
        }

        /** Start as a new replica of an existing group and wait to be added (see {@link ReplicaGroupConfig#joining}). */
        public Builder joining(boolean joining) {
            this.joining = joining;
            return this;
        }

        public Builder commitTimeout(Duration timeout) {
            this.commitTimeout = timeout;
            return this;
        }

        public Builder adminTimeout(Duration timeout) {
            this.adminTimeout = timeout;
            return this;
        }

        public ReplicaGroupConfig build() {
            return new ReplicaGroupConfig(
                    groupId,
                    selfId,
                    peers,
                    storageDir,
                    fsync,
                    snapshotThresholdEntries,
                    snapshotInterval,
                    maxCommandsPerEntry,
                    maxOutstandingEntries,
                    electionTimeoutMin,
                    electionTimeoutMax,
                    logSegmentSizeBytes,
                    logSegmentCacheBytes,
                    joining,
                    commitTimeout,
                    adminTimeout);
        }
    }
}
