package io.arbiter.server.coordinator;

import io.arbiter.core.command.Command;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.message.UndoLogDeleteRequest;
import io.arbiter.server.fragment.Fragment;
import io.arbiter.server.fragment.Fragments;
import io.arbiter.server.routing.Delays;
import io.arbiter.server.rpc.RmDirectory;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaders' clock and chores, for every fragment this node leads: proposes a {@link Command.Tick} to a fragment
 * when its coordinator has something due (timeouts, phase-two retries), a {@link Command.Resume} when this node
 * becomes its leader, and periodically asks AT resource managers to delete old undo logs.
 *
 * <p>Threading: one scheduler thread of its own for all fragments; it only reads volatile state and proposes.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final AtomicInteger ONEWAY_IDS = new AtomicInteger(1 << 30);

    private final Fragments fragments;
    private final RmDirectory rms;
    private final LongSupplier clock;
    private final Delays delays;
    private final Set<Integer> ticksInFlight = ConcurrentHashMap.newKeySet();
    private final Set<Integer> resumesPending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arbiter-housekeeping");
        t.setDaemon(true);
        return t;
    });

    /**
     * How long a new leader waits before it re-drives phase two: the previous leader, if it is alive, may have a
     * phase-two call in flight, whose answer it then forwards here; calling the RM again at once would deliver the
     * same commit or rollback twice. A leader that crashed mid-call costs its transactions this much more.
     */
    public static final Duration RESUME_GRACE = Duration.ofSeconds(1);

    public Housekeeping(Fragments fragments, RmDirectory rms, LongSupplier clock) {
        this(fragments, rms, clock, Delays.SYSTEM);
    }

    /** @param delays where the wait before a resume comes from ({@link Delays#SYSTEM} in production) */
    public Housekeeping(Fragments fragments, RmDirectory rms, LongSupplier clock, Delays delays) {
        this.fragments = fragments;
        this.rms = rms;
        this.clock = clock;
        this.delays = delays;
    }

    public void start(Duration tickInterval, Duration undoLogPeriod, int saveDays) {
        scheduler.scheduleWithFixedDelay(
                this::tick, tickInterval.toMillis(), tickInterval.toMillis(), TimeUnit.MILLISECONDS);
        long firstUndo = Math.min(undoLogPeriod.toMillis(), TimeUnit.MINUTES.toMillis(3));
        scheduler.scheduleWithFixedDelay(
                () -> deleteUndoLogs(saveDays), firstUndo, undoLogPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs another chore on the housekeeping thread every {@code period} (a failure is logged, not fatal). */
    public void every(Duration period, Runnable chore) {
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        chore.run();
                    } catch (RuntimeException e) {
                        LOG.warn("housekeeping chore failed", e);
                    }
                },
                period.toMillis(),
                period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * A new leader of {@code fragment} resumes phase two of every transaction in it (proposed, so every replica
     * agrees) {@link #RESUME_GRACE} later, if it still leads then; several calls within the grace make one resume.
     * Called on the fragment's apply thread: it never blocks.
     */
    public void resume(Fragment fragment) {
        if (!resumesPending.add(fragment.id())) {
            return;
        }
        delays.after(RESUME_GRACE.toMillis()).thenRun(() -> {
            resumesPending.remove(fragment.id());
            if (!fragment.attached() || !fragment.stateMachine().isLeader()) {
                return; // the next leader resumes
            }
            fragment.service().submit(new Command.Resume(clock.getAsLong())).whenComplete((r, e) -> {
                if (e != null) {
                    LOG.debug("resume of {} not applied: {}", fragment, e.toString());
                }
            });
        });
    }

    /** One round of ticks over the fragments led here: what the timer runs every tick interval (or a simulation). */
    public void tick() {
        long now = clock.getAsLong();
        for (Fragment fragment : fragments.all()) {
            try {
                tick(fragment, now);
            } catch (RuntimeException e) {
                LOG.warn("tick of {} failed", fragment, e); // keep the timer alive
            }
        }
    }

    private void tick(Fragment fragment, long now) {
        if (!fragment.attached()
                || !fragment.stateMachine().isLeader()
                || fragment.stateMachine().nextDue() > now
                || !ticksInFlight.add(fragment.id())) {
            return;
        }
        fragment.service().submit(new Command.Tick(now)).whenComplete((r, e) -> {
            ticksInFlight.remove(fragment.id());
            if (e != null) {
                LOG.debug("tick of {} not applied: {}", fragment, e.toString());
            }
        });
    }

    /**
     * Sends one UndoLogDeleteRequest for each AT resource that registered branches in a fragment this node holds a
     * replica of (replicated state: every replica knows them, whichever node the branches came through) to one of
     * the resource's RMs connected to this node; returns how many were sent. Every node does this for its own
     * clients, so each RM is asked by the node it is connected to (a request twice is harmless: it deletes what is
     * old).
     */
    public int deleteUndoLogs(int saveDays) {
        Set<String> resources = new TreeSet<>();
        for (Fragment fragment : fragments.all()) {
            resources.addAll(fragment.stateMachine().atResources());
        }
        if (resources.isEmpty()) {
            return 0;
        }
        int sent = 0;
        Map<String, Channel> channels = rms.oneChannelPerResource();
        for (String resource : resources) {
            Channel channel = channels.get(resource);
            if (channel != null) {
                int id = ONEWAY_IDS.incrementAndGet() & Integer.MAX_VALUE;
                channel.writeAndFlush(
                        Frame.oneway(id, new UndoLogDeleteRequest(BranchType.AT, resource, (short) saveDays)));
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
