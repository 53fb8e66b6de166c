package io.arbiter.server.meta;

import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.fragment.FragmentIds;
import io.arbiter.server.fragment.FragmentReconciler;
import io.arbiter.server.routing.FragmentCommands;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node on the newest cluster map: bootstraps the meta group with the configured initial map (when this
 * node leads it and it has none), reconciles this node's replicas with every new map the meta group applies (a meta
 * member hears it from its replica; another node asks the meta leader every {@link #POLL}), and reconciles again
 * every few seconds (a replica whose removal waits for its Raft group).
 *
 * <p>Threading: one thread of its own, on which every reconciliation runs (they block while groups start or stop).
 */
public final class MapFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MapFollower.class);
    static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration RECONCILE = Duration.ofSeconds(5);

    private final MetaGroup meta;
    private final FragmentCommands commands;
    private final FragmentReconciler reconciler;
    private final ClusterMap initial;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arbiter-cluster-map");
        t.setDaemon(true);
        return t;
    });
    private volatile ClusterMap applied;
    /**
     * On a meta member: the epoch of the map the meta leader had when this node first asked (-1 until it answered).
     * A member that restarts replays old log entries, and with them old maps; reconciling with those would start
     * replicas the cluster moved away long ago, so maps older than this are not followed.
     */
    private volatile long floor = -1;

    /** Consecutive checks that found this node's meta replica behind the meta leader's map (map thread only). */
    private int behindChecks;

    public MapFollower(MetaGroup meta, FragmentCommands commands, FragmentReconciler reconciler, ClusterMap initial) {
        this.meta = meta;
        this.commands = commands;
        this.reconciler = reconciler;
        this.initial = initial;
    }

    public void start() {
        meta.onChange(map -> thread.execute(() -> followReplica(map)));
        ClusterMap known = meta.map();
        if (known != null) {
            thread.execute(() -> followReplica(known));
        }
        thread.schedule(this::bootstrapOrPollUntilKnown, 0, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(
                () -> {
                    ClusterMap map = applied;
                    ClusterMap replicas = meta.following() ? meta.map() : null;
                    if (replicas != null && (map == null || replicas.epoch() > map.epoch())) {
                        followReplica(replicas); // a newer map than the last followed (a change not heard of)
                    } else if (map != null) {
                        follow(map);
                    }
                    if (meta.following() && floor >= 0) {
                        checkReplicaKeepsUp();
                    }
                },
                RECONCILE.toMillis(),
                RECONCILE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Every 200 ms until a replicated map is known here (a new cluster bootstraps at once), then every {@link #POLL}. */
    private void bootstrapOrPollUntilKnown() {
        bootstrapOrPoll();
        try {
            thread.schedule(
                    this::bootstrapOrPollUntilKnown, applied == null ? 200 : POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Reconciles again with the map last followed {@code delay} from now, besides the periodic passes: a replica here
     * changed in a way the map does not show (its Raft group removed it).
     */
    public void reconcileAfter(Duration delay) {
        try {
            thread.schedule(
                    () -> {
                        ClusterMap map = applied;
                        if (map != null) {
                            follow(map);
                        }
                    },
                    delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Whether this node follows a replicated map yet (before, it serves the map its configuration implies). */
    public boolean following() {
        return applied != null;
    }

    private void bootstrapOrPoll() {
        try {
            if (meta.following()) {
                if (meta.isLeader() && meta.map() == null) {
                    LOG.info(
                            "bootstrapping the cluster map: {} fragment(s)",
                            initial.fragments().size());
                    meta.propose(MetaCodec.encode(new MetaCommand.Bootstrap(initial)));
                }
                if (floor < 0) {
                    learnFloor();
                }
                return;
            }
            commands.submitEncoded(FragmentIds.META, MetaCodec.encode(new MetaCommand.ReadMap()), POLL)
                    .thenAccept(bytes -> {
                        ClusterMap map = MetaCodec.decodeMap(bytes);
                        ClusterMap current = applied;
                        if (map != null && (current == null || map.epoch() > current.epoch())) {
                            thread.execute(() -> follow(map));
                        }
                    });
        } catch (RuntimeException e) {
            LOG.debug("cluster map poll failed: {}", e.toString());
        }
    }

    /**
     * Map thread, on a meta member: asks the meta leader for its map; if this node's replica stays behind it for two
     * checks in a row (it should apply a change within a moment), follows the leader's map instead and says so. A
     * replica can stay behind without knowing: one the group removed while its node was away keeps its old
     * configuration and hears nothing more.
     */
    private void checkReplicaKeepsUp() {
        commands.submitEncoded(FragmentIds.META, MetaCodec.encode(new MetaCommand.ReadMap()), POLL)
                .thenAccept(bytes -> thread.execute(() -> {
                    ClusterMap newest = MetaCodec.decodeMap(bytes);
                    ClusterMap here = meta.map();
                    ClusterMap current = applied;
                    boolean behind = newest != null
                            && (here == null || newest.epoch() > here.epoch())
                            && (current == null || newest.epoch() > current.epoch());
                    behindChecks = behind ? behindChecks + 1 : 0;
                    if (behind && behindChecks >= 2) {
                        LOG.warn(
                                "this node's meta replica is behind the meta leader's map (epoch {} < {}) for two "
                                        + "checks in a row: following the leader's map",
                                here == null ? -1 : here.epoch(),
                                newest.epoch());
                        follow(newest);
                    }
                }));
    }

    /** Asks the meta leader (through its log) for its map: this member's replica follows from that epoch on. */
    private void learnFloor() {
        commands.submitEncoded(FragmentIds.META, MetaCodec.encode(new MetaCommand.ReadMap()), POLL)
                .thenAccept(bytes -> {
                    ClusterMap newest = MetaCodec.decodeMap(bytes);
                    if (floor < 0) {
                        floor = newest == null ? 0 : newest.epoch();
                        ClusterMap here = meta.map();
                        if (here != null) {
                            thread.execute(() -> followReplica(here));
                        }
                    }
                });
    }

    /**
     * Map thread: a map this node's meta replica applied. A replica that restarts or joins replays old maps, so
     * only those from the epoch the meta leader had when this member first asked are followed; a replica that is
     * not (or no longer) a voter is not followed before that either: the node polls the meta leader meanwhile.
     */
    private void followReplica(ClusterMap map) {
        if (floor < 0 || map.epoch() < floor) {
            return; // an old map this member's replica is replaying: the newer ones follow
        }
        follow(map);
    }

    /** Map thread: reconciles with {@code map} unless a newer one was applied already. */
    private void follow(ClusterMap map) {
        ClusterMap current = applied;
        if (current != null && map.epoch() < current.epoch()) {
            return;
        }
        try {
            reconciler.reconcile(map);
            applied = map;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("reconciling with cluster map epoch {} failed", map.epoch(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
