package io.arbiter.server.rpc;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open connections on the Seata port: one more is closed as soon as it is accepted (the client
 * sees its connection closed and tries again, or another node), before it can hold anything. A warning names the
 * setting, at most once every 10 s.
 *
 * <p>Threading: shared by every channel of the listener; lock-free.
 */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /** @param max connections taken at once ({@code arbiter.max-connections}) */
    public ConnectionLimit(int max) {
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
                    "refusing Seata connections: {} are open (arbiter.max-connections = {}); {} refused so far",
                    open.get(),
                    max,
                    refused.get());
        }
    }
}
