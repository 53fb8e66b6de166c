package io.arbiter.server.rpc;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open connections on a port: one more is closed as soon as it is accepted (the client sees its
 * connection closed and tries again, or another node), before it can hold anything, so one client opening sockets
 * without end cannot use up the process's file descriptors (and the other port with them). A warning names the
 * setting, at most once every 10 s.
 *
 * <p>Threading: shared by every channel of the listener; lock-free.
 */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final String port;
    private final String key;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /**
     * @param port what the port is, for the warning ("Seata", "HTTP")
     * @param key  the setting that sets {@code max}, for the warning
     * @param max  connections taken at once
     */
    public ConnectionLimit(String port, String key, int max) {
        this.port = port;
        this.key = key;
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            refused.incrementAndGet();
            warn();
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }

    /** Connections open now (those being refused included for a moment). */
    public int open() {
        return open.get();
    }

    /** Connections closed at once because {@code max} were open. */
    public long refused() {
        return refused.get();
    }

    private void warn() {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn(
                    "refusing {} connections: {} are open ({} = {}); {} refused so far",
                    port,
                    open.get(),
                    key,
                    max,
                    refused.get());
        }
    }
}
