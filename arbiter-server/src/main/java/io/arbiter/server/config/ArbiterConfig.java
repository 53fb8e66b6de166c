package io.arbiter.server.config;

import io.arbiter.core.CoordinatorSettings;
import java.nio.file.Path;
import java.time.Duration;

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
 */
public record ArbiterConfig(String host, int port, int httpPort, int raftPort, Path dataDir,
                            CoordinatorSettings coordinator, Duration tickInterval, Duration rmCallTimeout,
                            Duration undoLogDeletePeriod, int undoLogSaveDays, long snapshotThreshold) {

    /** {@code host:port} as it appears at the start of every XID. */
    public String xidPrefix() {
        return host + ":" + port;
    }
}
