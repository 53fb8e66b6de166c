package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.message.UndoLogDeleteRequest;
import io.arbiter.server.rpc.RmDirectory;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's clock and chores: proposes a {@link Command.Tick} when the coordinator has something due
 * (timeouts, phase-two retries), and periodically asks AT resource managers to delete old undo logs.
 *
 * <p>Threading: one scheduler thread of its own; it only reads volatile state and proposes.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final AtomicInteger ONEWAY_IDS = new AtomicInteger(1 << 30);

    private final CoordinatorService coordinator;
    private final CoordinatorStateMachine stateMachine;
    private final RmDirectory rms;
    private final Set<String> atResources;
    private final LongSupplier clock;
    private final AtomicBoolean tickInFlight = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arbiter-housekeeping");
        t.setDaemon(true);
        return t;
    });

    public Housekeeping(CoordinatorService coordinator, CoordinatorStateMachine stateMachine, RmDirectory rms,
                        Set<String> atResources, LongSupplier clock) {
        this.coordinator = coordinator;
        this.stateMachine = stateMachine;
        this.rms = rms;
        this.atResources = atResources;
        this.clock = clock;
    }

    public void start(Duration tickInterval, Duration undoLogPeriod, int saveDays) {
        scheduler.scheduleWithFixedDelay(this::tick, tickInterval.toMillis(), tickInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        long firstUndo = Math.min(undoLogPeriod.toMillis(), TimeUnit.MINUTES.toMillis(3));
        scheduler.scheduleWithFixedDelay(() -> deleteUndoLogs(saveDays), firstUndo, undoLogPeriod.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A new leader resumes phase two of every transaction in it at once (proposed, so every replica agrees). */
    public void resume() {
        coordinator.submit(new Command.Resume(clock.getAsLong())).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("resume not applied: {}", e.toString());
            }
        });
    }

    private void tick() {
        long now = clock.getAsLong();
        if (!stateMachine.isLeader() || stateMachine.nextDue() > now || !tickInFlight.compareAndSet(false, true)) {
            return;
        }
        coordinator.submit(new Command.Tick(now)).whenComplete((r, e) -> {
            tickInFlight.set(false);
            if (e != null) {
                LOG.debug("tick not applied: {}", e.toString());
            }
        });
    }

    /** Sends one UndoLogDeleteRequest per AT resource to one of its RMs; returns how many were sent. */
    public int deleteUndoLogs(int saveDays) {
        if (!stateMachine.isLeader()) {
            return 0;
        }
        int sent = 0;
        Map<String, Channel> channels = rms.oneChannelPerResource();
        for (String resource : atResources) {
            Channel channel = channels.get(resource);
            if (channel != null) {
                int id = ONEWAY_IDS.incrementAndGet() & Integer.MAX_VALUE;
                channel.writeAndFlush(Frame.oneway(id,
                        new UndoLogDeleteRequest(BranchType.AT, resource, (short) saveDays)));
                sent++;
            }
        }
        return sent;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
