package io.arbiter.server.http.metadata;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One request being answered, exactly once, now or later. A deferred exchange stops reading the connection until
 * it is answered (so a pipelining client cannot get answers out of order) and learns when the connection closes.
 *
 * <p>Threading: {@link #respond} may be called from any thread; the rest runs on the channel's event loop.
 */
public final class Exchange {
    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private boolean answered;
    private boolean deferred;
    private ChannelFutureListener closeListener;

    public Exchange(ChannelHandlerContext ctx, FullHttpRequest request) {
        this.ctx = ctx;
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    public EventExecutor executor() {
        return ctx.executor();
    }

    /** The client's IP address, or null if the channel has none. */
    InetAddress client() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /**
     * Keeps the exchange open after the handler returns. {@code onAbandon} runs on the event loop if the connection
     * closes before the answer (with reads paused, a peer's close may only be seen when we write).
     */
    public void defer(Runnable onAbandon) {
        deferred = true;
        ctx.channel().config().setAutoRead(false);
        closeListener = f -> {
            if (!answered) {
                answered = true;
                onAbandon.run();
            }
        };
        ctx.channel().closeFuture().addListener(closeListener);
    }

    public void respond(FullHttpResponse response) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> respond(response));
            return;
        }
        if (answered) {
            response.release();
            return;
        }
        answered = true;
        if (closeListener != null) {
            ctx.channel().closeFuture().removeListener(closeListener);
        }
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else if (deferred) {
            ctx.channel().config().setAutoRead(true);
        }
    }
}
