package io.arbiter.replication.ratis;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.ClientFactory;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one Ratis client connection set (Netty) for admin requests forwarded to another node's leader, shared by
 * every group of the node: requests carry their group id, and call ids come from one node-wide counter so that
 * replies of different groups cannot be confused. Created on first use. Thread-safe; {@link #send} may block while
 * connecting, so it runs on the node's I/O executor.
 */
final class AdminRpc implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRpc.class);

    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final Duration requestTimeout;
    private RaftClientRpc rpc; // guarded by this
    private boolean closed; // guarded by this

    /** @param requestTimeout the RPC's own timeout; callers apply their deadlines themselves */
    AdminRpc(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    ClientId clientId() {
        return clientId;
    }

    long nextCallId() {
        return callIds.incrementAndGet();
    }

    CompletableFuture<RaftClientReply> send(Collection<RaftPeer> known, RaftClientRequest request) {
        RaftClientRpc client = rpc();
        client.addRaftPeers(known);
        return client.sendRequestAsync(request);
    }

    synchronized void resetConnection(RaftPeerId target, Throwable cause) {
        if (rpc != null) {
            rpc.handleException(target, cause, true);
        }
    }

    private synchronized RaftClientRpc rpc() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (rpc == null) {
            RaftProperties p = new RaftProperties();
            // one attempt may include the new peers' catch-up: let the caller's deadline decide, not the RPC's
            RaftClientConfigKeys.Rpc.setRequestTimeout(
                    p, TimeDuration.valueOf(requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
            rpc = ClientFactory.cast(new NettyFactory(new Parameters())).newRaftClientRpc(clientId, p);
        }
        return rpc;
    }

    @Override
    public void close() {
        RaftClientRpc r;
        synchronized (this) {
            closed = true;
            r = rpc;
            rpc = null;
        }
        if (r != null) {
            try {
                r.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the admin client failed", e);
            }
        }
    }
}
