package io.arbiter.server.rpc;

import io.arbiter.server.cluster.ClusterMember;
import io.arbiter.server.cluster.MemberLiveness;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells which members answer, from this node's {@link PeerLinks}: it keeps a link open to every member and calls
 * a member unreachable when its link closed (a killed process: at once), when a connection attempt failed, or when
 * nothing came back on the link for {@link #SILENCE} (a vanished host or a cut network: links ping every second).
 * It becomes reachable again once a new link is registered and answering. A member never tried counts as
 * reachable.
 *
 * <p>Threading: probes run on one event loop (every {@link #INTERVAL}, and right after a link closes);
 * {@link #reachable} from any thread.
 */
public final class PeerProbe implements MemberLiveness, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerProbe.class);
    static final Duration INTERVAL = Duration.ofMillis(200);
    static final Duration SILENCE = Duration.ofSeconds(3);

    private final PeerLinks links;
    private final Supplier<List<ClusterMember>> members;
    private final String selfId;
    private final EventExecutor loop;
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private volatile Runnable listener = () -> {};
    private ScheduledFuture<?> schedule;

    public PeerProbe(PeerLinks links, Supplier<List<ClusterMember>> members, String selfId, EventExecutor loop) {
        this.links = links;
        this.members = members;
        this.selfId = selfId;
        this.loop = loop;
    }

    public void start() {
        links.onLinkClosed(() -> loop.execute(this::probe));
        schedule = loop.scheduleWithFixedDelay(this::probe, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean reachable(String memberId) {
        return !unreachable.contains(memberId);
    }

    @Override
    public void onChange(Runnable listener) {
        this.listener = listener;
    }

    /** Judges every member once and opens a link where none is open or opening. */
    void probe() {
        boolean changed = false;
        Set<String> current = new HashSet<>();
        for (ClusterMember m : members.get()) {
            if (m.id().equals(selfId)) {
                continue;
            }
            current.add(m.id());
            CompletableFuture<Channel> link = links.current(m.id());
            if (link == null) {
                links.open(m); // never tried: no judgment before the first attempt ends
                continue;
            }
            if (!link.isDone()) {
                continue; // connecting: judged when it is done
            }
            boolean answering = PeerLinks.answering(link, SILENCE);
            changed |= record(m.id(), answering);
            if (link.isCompletedExceptionally() || !link.join().isActive()) {
                links.open(m); // at most one attempt per member per probe; a silent but open link is kept
            }
        }
        changed |= unreachable.retainAll(current);
        if (changed) {
            listener.run();
        }
    }

    private boolean record(String memberId, boolean answering) {
        boolean changed = answering ? unreachable.remove(memberId) : unreachable.add(memberId);
        if (changed) {
            LOG.info("member {} is {}", memberId, answering ? "reachable again" : "unreachable");
        }
        return changed;
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
