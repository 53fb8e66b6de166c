package io.arbiter.server.rpc;

import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.server.ArbiterNode;
import io.arbiter.server.cluster.ClusterMember;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every other member which RMs this node holds ({@link RmHoldings}, received into their {@link PeerRms}):
 * shortly after every RM registration or disconnection, and every {@link #PERIOD} so that a restarted peer learns
 * it and what a peer knows never outlives this node's silence by long.
 *
 * <p>Threading: runs on one event loop; {@link #soon} may be called from any thread.
 */
public final class RmAnnouncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RmAnnouncer.class);
    static final Duration PERIOD = Duration.ofSeconds(5);
    private static final Duration DEBOUNCE = Duration.ofMillis(50);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final RmDirectory local;
    private final PeerLinks links;
    private final Supplier<List<ClusterMember>> members;
    private final String selfId;
    private final EventExecutor loop;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private ScheduledFuture<?> periodic;

    public RmAnnouncer(
            RmDirectory local,
            PeerLinks links,
            Supplier<List<ClusterMember>> members,
            String selfId,
            EventExecutor loop) {
        this.local = local;
        this.links = links;
        this.members = members;
        this.selfId = selfId;
        this.loop = loop;
    }

    public void start() {
        local.onChange(this::soon);
        periodic = loop.scheduleWithFixedDelay(this::announce, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Announces within {@link #DEBOUNCE}; a burst of registrations makes one announcement. */
    void soon() {
        if (scheduled.compareAndSet(false, true)) {
            loop.schedule(
                    () -> {
                        scheduled.set(false);
                        announce();
                    },
                    DEBOUNCE.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void announce() {
        String holdings = RmHoldings.encode(local.sessions());
        RegisterRMRequest message = new RegisterRMRequest(
                ArbiterNode.VERSION, PeerLinks.PEER_APPLICATION, PeerLinks.PEER_APPLICATION, null, holdings);
        for (ClusterMember m : members.get()) {
            if (!m.id().equals(selfId)) {
                links.call(m, message, PeerHeaders.holdings(selfId), CALL_TIMEOUT)
                        .whenComplete((answer, error) -> {
                            if (error != null) {
                                LOG.debug("could not tell {} which RMs this node holds: {}", m.id(), error.toString());
                            }
                        });
            }
        }
    }

    @Override
    public void close() {
        if (periodic != null) {
            periodic.cancel(false);
        }
    }
}
