package io.arbiter.server.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Seata RPC listener. Pipeline per connection:
 * <pre>
 *  ConnectionLimit → IdleStateHandler(read idle) → SeataFrameDecoder (magic check, 8 MiB, offset 3, length 4,
 *    adjust -7, whole within the read idle time)
 *    → FrameCodecHandler (bytes ⇄ Frame) → SeataChannelHandler (dispatch)
 * </pre>
 *
 * <p>Threading: Netty's; nothing in the pipeline blocks.
 */
public final class SeataServer implements AutoCloseable {
    /** Flushes absorbed into one socket write at most (while a read is in progress). */
    static final int FLUSHES_PER_WRITE = 256;

    private final Supplier<SeataChannelHandler> handlers;
    private final Duration readIdle;
    private final ConnectionLimit limit;
    private Channel channel;

    /**
     * @param readIdle how long a connection may send nothing (Seata clients ping every 5 s) and how long one frame
     *                 may take to arrive whole
     * @param limit    the most connections open at once
     */
    public SeataServer(Supplier<SeataChannelHandler> handlers, Duration readIdle, ConnectionLimit limit) {
        this.handlers = handlers;
        this.readIdle = readIdle;
        this.limit = limit;
    }

    public void start(String bindHost, int port, EventLoopGroup boss, EventLoopGroup workers)
            throws InterruptedException {
        channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        limit,
                                        // answers complete on other threads, many at once when a log entry applies: one
                                        // socket write for all those queued on the event loop instead of one each
                                        new FlushConsolidationHandler(FLUSHES_PER_WRITE, true),
                                        new IdleStateHandler(readIdle.toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                        new SeataFrameDecoder(readIdle),
                                        new FrameCodecHandler(),
                                        handlers.get());
                    }
                })
                .bind(bindHost, port)
                .sync()
                .channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
