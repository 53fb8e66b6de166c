package io.arbiter.server.rpc;

import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.MessageKind;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.RegisterTMResponse;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.server.cluster.ClusterMember;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's connections to the Seata ports of its peers, used to forward client requests to the leader and to
 * relay phase-two calls to the node that holds an RM's channel. A link speaks the Seata protocol: it registers as
 * a TM of the internal application {@value #PEER_APPLICATION}, pings after 1 s without writes, and carries the
 * original client's identity in the frame's head map. Links connect lazily and reconnect on the next call after a
 * failure; {@link PeerProbe} keeps one open to every member and judges from its traffic whether the member
 * answers.
 *
 * <p>Threading: thread-safe; never blocks the caller.
 */
public final class PeerLinks implements PeerTransport, AutoCloseable {
    /** Application id with which links register; the receiving node trusts head maps only on such channels. */
    public static final String PEER_APPLICATION = "arbiter-peer";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** A link with nothing to send pings this often, so that its peer's pongs show it alive. */
    static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    /** A peer's answer must arrive whole within this (as a client's frame on the Seata port). */
    private static final Duration FRAME_WHOLE_WITHIN = Duration.ofSeconds(15);

    private static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("arbiter.peer.lastRead");
    private static final AtomicInteger PING_IDS = new AtomicInteger();

    private final EventLoopGroup loop;
    private final OutboundCalls calls;
    private final String selfId;
    private final Map<String, CompletableFuture<Channel>> links = new ConcurrentHashMap<>();
    private volatile Runnable onClosed = () -> {};

    public PeerLinks(EventLoopGroup loop, OutboundCalls calls, String selfId) {
        this.loop = loop;
        this.calls = calls;
        this.selfId = selfId;
    }

    /** Sends a request to {@code peer} with a head map; completes with the answer body. */
    @Override
    public CompletableFuture<SeataMessage> call(
            ClusterMember peer, SeataMessage request, Map<String, String> head, Duration timeout) {
        return link(peer).thenCompose(ch -> calls.call(ch, request, head, timeout));
    }

    /** The link to {@code peer}: the open or opening one, else a new connection attempt. */
    CompletableFuture<Channel> open(ClusterMember peer) {
        return link(peer);
    }

    /** The link to {@code peerId} as it stands (opening, open, failed or closed), or null if never opened. */
    CompletableFuture<Channel> current(String peerId) {
        return links.get(peerId);
    }

    /** Whether {@code link} is open and read something (an answer, a pong) less than {@code silence} ago. */
    static boolean answering(CompletableFuture<Channel> link, Duration silence) {
        if (link == null || !link.isDone() || !isUsable(link)) {
            return false;
        }
        Long lastRead = link.join().attr(LAST_READ).get();
        return lastRead != null && System.nanoTime() - lastRead < silence.toNanos();
    }

    /** Runs {@code listener} (on an event loop, must not block) whenever a link closes. */
    void onLinkClosed(Runnable listener) {
        this.onClosed = listener;
    }

    private CompletableFuture<Channel> link(ClusterMember peer) {
        CompletableFuture<Channel> existing = links.get(peer.id());
        if (existing != null && (!existing.isDone() || isUsable(existing))) {
            return existing;
        }
        CompletableFuture<Channel> fresh = new CompletableFuture<>();
        if (existing == null
                ? links.putIfAbsent(peer.id(), fresh) != null
                : !links.replace(peer.id(), existing, fresh)) {
            return links.get(peer.id());
        }
        connect(peer, fresh);
        return fresh;
    }

    private static boolean isUsable(CompletableFuture<Channel> f) {
        return !f.isCompletedExceptionally() && f.join().isActive();
    }

    private void connect(ClusterMember peer, CompletableFuture<Channel> result) {
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new FlushConsolidationHandler(SeataServer.FLUSHES_PER_WRITE, true),
                                        new IdleStateHandler(0, PING_INTERVAL.toMillis(), 0, TimeUnit.MILLISECONDS),
                                        new SeataFrameDecoder(FRAME_WHOLE_WITHIN),
                                        new FrameCodecHandler(),
                                        new LinkHandler());
                    }
                })
                .connect(peer.host(), peer.rpcPort());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            Channel ch = connect.channel();
            calls.call(
                            ch,
                            new RegisterTMRequest("2.5.0", PEER_APPLICATION, PEER_APPLICATION, "node=" + selfId),
                            CONNECT_TIMEOUT)
                    .whenComplete((answer, error) -> {
                        if (error == null && answer instanceof RegisterTMResponse r && r.identified()) {
                            ch.attr(LAST_READ).set(System.nanoTime());
                            result.complete(ch);
                        } else {
                            ch.close();
                            result.completeExceptionally(
                                    error != null
                                            ? error
                                            : new IllegalStateException("peer " + peer.id() + " refused the link"));
                        }
                    });
        });
    }

    /** Answers complete the pending calls; write-idle sends a ping so the peer does not close the link. */
    private final class LinkHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.channel().attr(LAST_READ).set(System.nanoTime());
            Frame frame = (Frame) msg;
            if (frame.messageType() == MessageKind.RESPONSE) {
                calls.complete(frame.requestId(), frame.body());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.writeAndFlush(Frame.ping(PING_IDS.incrementAndGet() & Integer.MAX_VALUE));
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            calls.channelClosed(ctx.channel());
            onClosed.run();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        links.values().forEach(f -> f.thenAccept(Channel::close));
    }
}
