package io.arbiter.server.rpc;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registered Seata channels on this node, by role: TMs, RMs, and other Arbiter nodes' peer links (which register as
 * TMs of a reserved application). A channel counts from its registration to its close.
 *
 * <p>Threading: thread-safe and lock-free; updated on event loops, read at any time.
 */
public final class ClientConnections {
    private final AtomicInteger tms = new AtomicInteger();
    private final AtomicInteger rms = new AtomicInteger();
    private final AtomicInteger peers = new AtomicInteger();

    public int tms() {
        return tms.get();
    }

    public int rms() {
        return rms.get();
    }

    public int peers() {
        return peers.get();
    }

    void opened(ClientSession session) {
        counter(session).incrementAndGet();
    }

    void closed(ClientSession session) {
        counter(session).decrementAndGet();
    }

    private AtomicInteger counter(ClientSession session) {
        if (PeerLinks.PEER_APPLICATION.equals(session.applicationId())) {
            return peers;
        }
        return session.role() == ClientSession.Role.RM ? rms : tms;
    }
}
