package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicaGroupConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Every Ratis setting Arbiter changes, in one place, with the reason. Figures come from
 * {@code shared/reference/ratis-measured.md} (Ratis 3.3.0 on a 2-core machine). The properties are per
 * {@link RatisNode} (one Ratis server): every group (division) on the node gets the same, so per-division costs are
 * multiplied by the number of groups; those are marked "per division" below and sized for tens of groups per node.
 */
final class RatisProperties {

    /** Snapshot files kept on disk: the newest and the one before, in case the newest is being shipped. */
    static final int SNAPSHOTS_RETAINED = 2;

    /** How long Ratis remembers a request for retries (we never retry a call id). */
    static final long RETRY_CACHE_EXPIRY_MS = 1_000;

    /** Room for Ratis's own framing of one entry (log entry and state-machine entry protos, client id, call id). */
    static final int ENTRY_ENVELOPE_BYTES = 4 << 10;

    /** Closed log segments kept in memory per division, besides the open one (Ratis: 6). */
    static final int SEGMENT_CACHE_NUM_MAX = 2;

    private RatisProperties() {}

    /**
     * The largest log entry we can write: {@link Batcher#MAX_ENTRY_BYTES} of commands, our framing (a header and up to
     * 5 bytes of length per command) and Ratis's envelope.
     */
    static int maxEntryBytes(int maxCommandsPerEntry) {
        return Batcher.MAX_ENTRY_BYTES + EntryCodec.HEADER_BYTES + 5 + 5 * maxCommandsPerEntry + ENTRY_ENVELOPE_BYTES;
    }

    /** The log write buffer: Ratis requires at least the appender's byte limit + 8; rounded up to 64 KiB. */
    static int writeBufferBytes(int maxCommandsPerEntry) {
        int min = maxEntryBytes(maxCommandsPerEntry) + 8;
        return (min + (64 << 10) - 1) / (64 << 10) * (64 << 10);
    }

    static RaftProperties of(ReplicaGroupConfig config) {
        RaftProperties p = new RaftProperties();

        // Transport: Netty had about half gRPC's latency at low concurrency in the measurements. Its server side is
        // ours (AsyncNettyServerRpc): Ratis's waits for each request on the event loop that read it, which an append
        // that never completes blocks for good (see the package documentation).
        RaftConfigKeys.Rpc.setType(p, new AsyncNettyRpcType());
        NettyConfigKeys.Server.setHost(p, config.self().host());
        NettyConfigKeys.Server.setPort(p, config.self().port());

        RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDir().toFile()));

        // Election timeouts 1 s / 2 s by default (Ratis: 150/300 ms): a 1.1 s GC pause under CPU starvation made a
        // leader step down with the defaults; with 1/2 s there were no leader changes.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, duration(config.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, duration(config.electionTimeoutMax()));

        // A leader that hears from no majority for one maximum election timeout steps down (Ratis always checks this,
        // whatever the settings), failing its pending entries; proposals on it then fail at once. This setting is
        // something else, written out at Ratis's default on purpose: (1) a leader whose JVM stalled longer than this
        // (GC, or CPU starvation on a small machine) steps down, and (2) a leader that stepped down for lack of a
        // majority waits this long before it campaigns again. Lowering it to one election timeout made a one-replica
        // group step down under CPU starvation (load 16 on 2 cores), a pointless loss of leadership. The price of
        // 10 s: if a leader is cut off with uncommitted entries, and one of its two lost peers comes back first, that
        // peer cannot win without the old leader's vote, and the old leader campaigns only after 10 s.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        // Pre-vote (Ratis's default, set here on purpose): a replica that was partitioned, removed, or restarted with a
        // stale configuration only starts a real election, and raises the term, if a majority would vote for it.
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        // Membership changes: a new peer that sends no reply for this long while it is being brought up to date fails
        // the change (Ratis's default: 3 x the maximum election timeout, written out here).
        RaftServerConfigKeys.setStagingTimeout(
                p, duration(config.electionTimeoutMax().multipliedBy(3)));

        // Log: Ratis keeps ~250 bytes per entry in memory until the log is purged, so purge up to each snapshot,
        // in smaller segments (default 32 MB) with a smaller segment cache (default 200 MB).
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentSizeBytes()));
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(config.logSegmentCacheBytes()));
        // Preallocation is on disk (a shared fill buffer), per open segment of each division.
        RaftServerConfigKeys.Log.setPreallocatedSize(
                p, SizeInBytes.valueOf(Math.min(config.logSegmentSizeBytes(), 4L << 20)));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, 1); // purge whenever a snapshot is published (default: every 1024)
        // No commit-index metadata entries: with them on (Ratis's default) the leader appends, replicates and every
        // replica fsyncs and applies one extra log entry each time the commit index moves, i.e. about one per entry of
        // ours. Raft does not need the commit index on disk: after a restart it is re-established by the leader.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        // Ratis always forces the log; without fsync it acknowledges an entry before the force completes.
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, !config.fsync());

        // Reads (ReplicaGroup#query) are linearizable: answered by the leader after it applied its commit index, once
        // it has confirmed it still leads. The leader lease makes that confirmation free while a majority acknowledged
        // the leader's heartbeats within 0.9 of the minimum election timeout (no follower can have started an
        // election in that time); otherwise a heartbeat round. Writes are unaffected.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);

        // Snapshots: auto-trigger by entry count; the periodic timer uses snapshot-management requests. No snapshot
        // on stop: it would be written after the group is asked to stop, and a restart replays the log anyway.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThresholdEntries());
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, SNAPSHOTS_RETAINED);

        // Ratis remembers every (client id, call id) with its reply, on every replica, for retries; we never resend a
        // call id (a retry is a new proposal that the state machine deduplicates), so the memory only costs: with 10 s
        // (Ratis: 60 s) a node under load kept ~60k entries with their replies alive, which every young collection
        // copied and promoted (ParallelGC young pauses of 50-180 ms on a 3-node cluster on two cores). An entry still
        // pending when it expires is unaffected (its reply future is held by the request).
        RaftServerConfigKeys.RetryCache.setExpiryTime(
                p, TimeDuration.valueOf(RETRY_CACHE_EXPIRY_MS, TimeUnit.MILLISECONDS));

        // The log appender waits at least this long between two appendEntries to a follower (default 10 ms). With the
        // Netty transport's one-request-at-a-time appender that wait is added to almost every commit: a 3-node group
        // answered a lone proposal in 8-15 ms instead of ~1-2 ms. Entries are batched by us already.
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.valueOf(0, TimeUnit.MILLISECONDS));

        // Pending write requests the leader accepts: room for our whole window (default 4096). A limit, not an
        // allocation; with it the byte limit (64 MB) is never reached, since our window holds at most
        // maxOutstandingEntries entries of at most maxEntryBytes each.
        RaftServerConfigKeys.Write.setElementLimit(p, Math.max(4096, 2 * config.maxOutstandingEntries()));

        // Per division: the log worker's write buffer is a direct buffer allocated when the division starts and held
        // until it closes: 8 MB by default, i.e. 512 MB of direct memory for 64 groups. Ratis refuses a buffer smaller
        // than the appender's byte limit + 8, and fails (IOException in the log worker, which stops the division) an
        // entry whose serialized size exceeds the buffer; the appender in turn asserts that one entry fits its byte
        // limit. Our entries are at most maxEntryBytes (Batcher.MAX_ENTRY_BYTES of commands + framing, ~1.01 MiB), so
        // both limits are set just above it: ~1.06 MiB of direct memory per division. The appender limit also caps the
        // bytes sent in one appendEntries (default 4 MB): under load ~1 MiB per request is still tens of entries.
        int maxEntry = maxEntryBytes(config.maxCommandsPerEntry());
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(maxEntry));
        RaftServerConfigKeys.Log.setWriteBufferSize(
                p, SizeInBytes.valueOf(writeBufferBytes(config.maxCommandsPerEntry())));
        // Per division: the segment cache keeps the entries of closed segments in memory until followers and the state
        // machine are past them, up to 6 segments (and logSegmentCacheBytes). With our 1 MiB segments two closed ones
        // cover any follower that is merely behind by a batch; older entries are read from disk.
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, SEGMENT_CACHE_NUM_MAX);
        // Per division, left at Ratis's defaults on purpose (limits, not allocations; our window bounds them): the log
        // worker's queue (4096 entries / 64 MB), the retry cache (expiry above), and the request pools "-server" and
        // "-client" (cached thread pools, threads created on demand and ended after 60 s idle). Threads per division:
        // the log worker and the state-machine updater always; a follower adds its election timer (FollowerState), a
        // leader its event processor and one appender per follower (no "-flush" thread: fsync is synchronous).
        return p;
    }

    private static TimeDuration duration(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
