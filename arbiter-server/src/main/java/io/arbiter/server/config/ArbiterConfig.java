package io.arbiter.server.config;

import io.arbiter.core.CoordinatorSettings;
import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.http.metadata.MetadataApiConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a node needs to start, validated; immutable and passed explicitly.
 *
 * @param host               the address advertised in XIDs ({@code host:port:id}); clients reach this node there
 * @param port               Seata RPC port (default 8091)
 * @param httpPort           HTTP port for /health and the APIs (default 7091)
 * @param raftPort           Raft port of this node
 * @param dataDir            where the Raft log and snapshots live
 * @param coordinator        phase-two tuning
 * @param tickInterval       how often the leader proposes a clock tick (timeouts, retries)
 * @param rmCallTimeout      how long the leader waits for an RM's phase-two answer
 * @param undoLogDeletePeriod how often AT resource managers are asked to delete old undo logs
 * @param undoLogSaveDays    days of undo logs they keep
 * @param snapshotThreshold  log entries between automatic snapshots
 * @param snapshotInterval   time between periodic snapshots
 * @param group              Seata raft group name (what clients map their transaction group to)
 * @param members            every node of the cluster, this one included; one entry for a single node
 * @param selfId             this node's id among {@code members}
 * @param electionTimeout    Raft election timeout (minimum; the maximum is twice this)
 * @param joining            start as a new member waiting to be added to an existing cluster
 * @param maxOutstandingEntries Raft log entries this node proposes and has not seen applied yet; while the window is
 *                           full, commands gather into the next entry (fewer, larger entries cost less CPU)
 * @param metadataApi        Seata raft-registry API settings (credentials, token validity)
 * @param maxOpenTransactions open transactions a fragment takes before it refuses new begins
 * @param fragments          how many fragments (Raft groups running the coordinator) the cluster starts with
 * @param lockFragments      how many of those (the first ones) own the row-lock slots of a new cluster
 * @param locksInLeaderMemory whether those are lock-only fragments keeping their rows in their leader's memory (when
 *                           there are more fragments than lock fragments; {@code arbiter.lock-table})
 * @param placement          automatic placement settings
 * @param readIdle           how long a Seata connection may send nothing before it is closed, and how long one
 *                           frame may take to arrive whole (Seata's server: 15 s; clients ping every 5 s)
 * @param maxConnections     Seata connections open at once; more are closed as soon as they are accepted
 * @param maxHttpConnections HTTP connections open at once (metadata watches are one each); more are closed so
 */
public record ArbiterConfig(
        String host,
        int port,
        int httpPort,
        int raftPort,
        Path dataDir,
        CoordinatorSettings coordinator,
        Duration tickInterval,
        Duration rmCallTimeout,
        Duration undoLogDeletePeriod,
        int undoLogSaveDays,
        long snapshotThreshold,
        Duration snapshotInterval,
        String group,
        List<ClusterMember> members,
        String selfId,
        Duration electionTimeout,
        boolean joining,
        int maxOutstandingEntries,
        MetadataApiConfig metadataApi,
        int fragments,
        int lockFragments,
        boolean locksInLeaderMemory,
        int maxOpenTransactions,
        PlacementConfig placement,
        Duration readIdle,
        int maxConnections,
        int maxHttpConnections) {
    /**
     * Open (live) transactions a fragment takes before it refuses begins: a bound on the heap they use (each is a few
     * hundred bytes plus its branches and rows; 200,000 fit the default 1 GiB heap with room for a snapshot).
     */
    public static final int DEFAULT_MAX_OPEN_TRANSACTIONS = 200_000;
    /** See {@code docs/PERFORMANCE.md}. */
    public static final int DEFAULT_MAX_OUTSTANDING_ENTRIES = 32;
    /** See {@code docs/PERFORMANCE.md}. */
    public static final int DEFAULT_FRAGMENTS = 1;
    /**
     * Row-lock slots of a new cluster all go to its first fragment: an AT branch of a transaction in another fragment
     * then takes its rows in one remote group, whose Raft entries carry many such steps at once. Spread over all
     * fragments, every remote step was an entry of its own in a group with little traffic ({@code docs/PERFORMANCE.md}
     * "One lock fragment": 8 fragments on 3 nodes, AT 0.63-0.96x of one fragment with one lock fragment, 0.40-0.45x
     * with three, 0.24x with eight).
     */
    public static final int DEFAULT_LOCK_FRAGMENTS = 1;
    /** As Seata's server (its clients ping every 5 s). */
    public static final Duration DEFAULT_READ_IDLE = Duration.ofSeconds(15);
    /**
     * A Seata application instance opens one TM and one RM connection to each node: 5,000 instances on one node
     * (each connection holds a few KiB; see docs/RELIABILITY.md "Connections").
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Seata clients of the raft registry hold one metadata watch each: 10,000 at once, with room for the rest. */
    public static final int DEFAULT_MAX_HTTP_CONNECTIONS = 12_000;

    public ArbiterConfig {
        members = List.copyOf(members);
    }

    public ClusterMember self() {
        return members.stream().filter(m -> m.id().equals(selfId)).findFirst().orElseThrow();
    }

    /** {@code host:port} as it appears at the start of every XID. */
    public String xidPrefix() {
        return host + ":" + port;
    }
}
