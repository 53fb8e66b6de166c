package io.arbiter.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds what a connection to the HTTP port may hold without doing anything: a request must arrive whole within
 * {@code requestTimeout} of its first byte (a slow or stalled sender gets 408 and the connection closes), and a
 * connection with no request in progress and no answer pending is closed after {@code idleTimeout}. A request
 * being answered (the metadata watch's long poll included) is not limited here: its handler answers in time.
 *
 * <p>Two handlers share one instance: {@link #bytes()} before the HTTP codec sees the first byte of a request,
 * {@link #messages()} after it sees the request end and the answer go out. Threading: one instance per channel,
 * used on its event loop only.
 */
final class RequestDeadline {
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private ScheduledFuture<?> timer;
    private int answersPending;
    private boolean receiving;

    RequestDeadline(Duration requestTimeout, Duration idleTimeout) {
        this.requestTimeout = requestTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** Goes before the HTTP codec: raw bytes start a request's clock. */
    ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                arm(ctx, idleTimeout, false);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (!receiving && msg instanceof ByteBuf buf && buf.isReadable()) {
                    receiving = true;
                    arm(ctx, requestTimeout, true);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                super.channelInactive(ctx);
            }
        };
    }

    /** Goes after the HTTP codec: a whole request stops the clock, the end of its answer starts the idle one. */
    ChannelHandler messages() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof LastHttpContent) {
                    receiving = false;
                    answersPending++;
                    cancel();
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                boolean last = msg instanceof LastHttpContent;
                super.write(ctx, msg, promise);
                if (last && answersPending > 0 && --answersPending == 0 && !receiving) {
                    arm(ctx, idleTimeout, false);
                }
            }
        };
    }

    private void arm(ChannelHandlerContext ctx, Duration after, boolean midRequest) {
        cancel();
        timer = ctx.executor().schedule(() -> expire(ctx, midRequest), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void expire(ChannelHandlerContext ctx, boolean midRequest) {
        if (!midRequest) {
            ctx.close();
            return;
        }
        byte[] body = ("{\"error\":\"the request did not arrive whole within " + requestTimeout.toMillis() + " ms\"}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        // written from the first handler: the response bytes go out raw, past the codec
        ctx.pipeline().firstContext().writeAndFlush(encode(response)).addListener(ChannelFutureListener.CLOSE);
    }

    private static ByteBuf encode(FullHttpResponse response) {
        StringBuilder head =
                new StringBuilder("HTTP/1.1 ").append(response.status()).append("\r\n");
        response.headers()
                .forEach(h -> head.append(h.getKey())
                        .append(": ")
                        .append(h.getValue())
                        .append("\r\n"));
        head.append("\r\n");
        return Unpooled.wrappedBuffer(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII), response.content());
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
