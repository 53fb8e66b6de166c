package io.arbiter.server.placement;

import io.arbiter.placement.ClusterState;
import io.arbiter.placement.Operator;
import io.arbiter.placement.OperatorExecutor;
import io.arbiter.placement.PlacementRound;
import io.arbiter.placement.PlacementSettings;
import io.arbiter.server.meta.OperatorRecord;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic placement on the meta group's leader: once a second it reads the cluster ({@link ClusterStateReader}),
 * samples the load, moves the running operators on, asks the scheduler what to do and starts what the limits allow
 * ({@link PlacementRound}, through the {@link ClusterActuator}); the meta group's own voters follow
 * the cluster too ({@link MetaMembership}). A node that stops leading the meta
 * group cancels what it was running (the steps are idempotent: the next meta leader plans again from the cluster as
 * it then is) and starts afresh if it leads again.
 *
 * <p>Threading: everything runs on the loop's own thread; {@link #runs} and {@link #lastState} are published for
 * readers on other threads.
 */
public final class PlacementLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlacementLoop.class);

    /** A round that runs longer than this is reported, with where the loop's thread is. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arbiter-placement");
        t.setDaemon(true);
        loopThread = t;
        return t;
    });
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arbiter-placement-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile Thread loopThread;
    /** When the running round started (System.nanoTime), or 0 between rounds; and whether it was reported. */
    private volatile long roundStarted;

    private volatile boolean stuckReported;
    private final PlacementSettings settings;
    private final BooleanSupplier leadsMeta;
    private final ClusterStateReader reader;
    private final NodeReports reports;
    private final ClusterActuator actuator;
    private final LongSupplier clock;
    private final MetaMembership metaMembership;
    private final OperatorHistory history;
    private PlacementRound placement;
    private volatile List<OperatorExecutor.Run> runs = List.of();
    private volatile ClusterState lastState;
    private volatile boolean leading;

    PlacementLoop(
            PlacementSettings settings,
            BooleanSupplier leadsMeta,
            ClusterStateReader reader,
            NodeReports reports,
            ActuatorFactory actuators,
            MetaMembership metaMembership,
            OperatorHistory history,
            LongSupplier clock) {
        this.settings = settings;
        this.leadsMeta = leadsMeta;
        this.reader = reader;
        this.reports = reports;
        this.clock = clock;
        this.metaMembership = metaMembership;
        this.history = history;
        this.actuator = actuators.create(thread, () -> placement.executor());
    }

    /** Makes the loop's actuator (it needs the loop's thread and its current executor). */
    interface ActuatorFactory {
        ClusterActuator create(
                java.util.concurrent.Executor loop, java.util.function.Supplier<OperatorExecutor> executor);
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::timedRound, 1, 1, TimeUnit.SECONDS);
        watchdog.scheduleWithFixedDelay(this::reportStuckRound, 5, 5, TimeUnit.SECONDS);
    }

    private void timedRound() {
        roundStarted = System.nanoTime();
        stuckReported = false;
        try {
            round();
        } catch (Throwable e) { // an Error would end the schedule silently: report it, go on with the next round
            LOG.error("placement round failed", e);
        } finally {
            roundStarted = 0;
        }
    }

    /** Watchdog thread: a round must not block (its steps complete asynchronously); if one does, say where. */
    private void reportStuckRound() {
        long started = roundStarted;
        Thread t = loopThread;
        if (started == 0 || stuckReported || t == null || System.nanoTime() - started < STUCK_NANOS) {
            return;
        }
        stuckReported = true;
        StringBuilder where = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            where.append("\n\tat ").append(e);
        }
        LOG.warn(
                "placement round has run for {} s (it should take milliseconds); the loop's thread is at:{}",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                where);
    }

    /** The running operators and the recent ones, newest first (empty on a node that does not lead the meta group). */
    public List<OperatorExecutor.Run> runs() {
        return runs;
    }

    /**
     * The operators to show: those running here, then those that ended (here, or under an earlier meta leader:
     * the meta group keeps them), newest first.
     */
    public List<OperatorRecord> operators() {
        return history.shown(runs);
    }

    /** The cluster as the last round saw it (null before the first round as meta leader). */
    public ClusterState lastState() {
        return leading ? lastState : null;
    }

    public boolean leading() {
        return leading;
    }

    /** The meta group's voters as this node's replica knows them (empty without a replica). */
    public List<String> metaVoters() {
        return metaMembership.voters();
    }

    /** The meta group's last voter change and how it ended (empty before the first). */
    public String lastMetaChange() {
        return metaMembership.last();
    }

    public PlacementSettings settings() {
        return settings;
    }

    private void round() {
        try {
            long now = clock.getAsLong();
            if (!leadsMeta.getAsBoolean()) {
                if (leading) {
                    placement.executor().cancelAll("this node no longer leads the meta group", now);
                    runs = placement.executor().runs();
                    history.record(runs);
                    leading = false;
                    LOG.info("placement stopped: this node no longer leads the meta group");
                }
                return;
            }
            if (!leading) {
                placement = new PlacementRound(settings, actuator);
                reader.reset();
                leading = true;
                LOG.info("placement started: this node leads the meta group");
            }
            ClusterState state = reader.read(now);
            reports.ask(state.nodes().stream()
                    .map(io.arbiter.placement.NodeState::id)
                    .toList());
            actuator.use(state);
            OperatorExecutor executor = placement.executor();
            List<Operator> before = executor.inFlight();
            state = placement.run(state, now);
            executor.inFlight().stream()
                    .filter(op -> !before.contains(op))
                    .forEach(op -> LOG.info("placement: {}", op));
            metaMembership.round(state, now);
            lastState = state;
            runs = executor.runs();
            history.record(runs);
        } catch (RuntimeException e) {
            LOG.warn("placement round failed", e); // keep the loop alive
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        thread.shutdownNow();
    }
}
