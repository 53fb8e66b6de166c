package io.arbiter.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiter.server.rpc.ConnectionLimit;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's HTTP port, a small router: {@code /health} answers 200 with a small JSON document while the node
 * serves, 503 otherwise; other paths go to the first mounted {@link Endpoint} that owns them (e.g. the Seata
 * metadata API); unknown paths get 404 with a reason. Handlers run on the event loop and never block.
 */
public final class HttpApiServer implements AutoCloseable {
    private static final ObjectMapper HEALTH_JSON = new ObjectMapper();
    private final Supplier<HealthReport> health;
    private final List<Endpoint> endpoints;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final ConnectionLimit limit;
    private Channel channel;

    /**
     * A group of routes mounted on the server. It answers every request it owns itself (including its own 404 and
     * 405), now or later, exactly once.
     */
    public interface Endpoint {
        /** Whether this endpoint answers requests for {@code path} (the decoded path, without the query). */
        boolean owns(String path);

        /**
         * Answers {@code request}; runs on the channel's event loop and must not block. The request is released when
         * this returns; an endpoint that answers later keeps what it needs, not the request.
         */
        void serve(ChannelHandlerContext ctx, FullHttpRequest request);
    }

    /**
     * What /health reports: serving (a leader is known), this node's Raft role, the live transactions and row locks
     * of its replica, and the members it cannot reach (their ids).
     */
    public record HealthReport(boolean serving, String role, int transactions, int locks, List<String> unreachable) {
        public HealthReport {
            unreachable = List.copyOf(unreachable);
        }

        String toJson() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", serving ? "UP" : "DOWN");
            fields.put("role", role);
            fields.put("transactions", transactions);
            fields.put("locks", locks);
            fields.put("unreachable", unreachable);
            try {
                return HEALTH_JSON.writeValueAsString(fields);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the health report", e);
            }
        }
    }

    public HttpApiServer(Supplier<HealthReport> health) {
        this(health, List.of());
    }

    public HttpApiServer(Supplier<HealthReport> health, List<? extends Endpoint> endpoints) {
        this(health, endpoints, DEFAULT_REQUEST_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }

    /** @param limit the most connections open at once */
    public HttpApiServer(Supplier<HealthReport> health, List<? extends Endpoint> endpoints, ConnectionLimit limit) {
        this(health, endpoints, DEFAULT_REQUEST_TIMEOUT, DEFAULT_IDLE_TIMEOUT, limit);
    }

    /**
     * @param requestTimeout how long a request may take to arrive whole (then 408 and the connection closes)
     * @param idleTimeout    how long a connection may stay open with nothing in progress
     */
    public HttpApiServer(
            Supplier<HealthReport> health,
            List<? extends Endpoint> endpoints,
            Duration requestTimeout,
            Duration idleTimeout) {
        this(health, endpoints, requestTimeout, idleTimeout, new ConnectionLimit("HTTP", "none", Integer.MAX_VALUE));
    }

    private HttpApiServer(
            Supplier<HealthReport> health,
            List<? extends Endpoint> endpoints,
            Duration requestTimeout,
            Duration idleTimeout,
            ConnectionLimit limit) {
        this.limit = limit;
        this.health = health;
        this.endpoints = List.copyOf(endpoints);
        this.requestTimeout = requestTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** Longest request line (a longer one is answered 400). */
    static final int MAX_INITIAL_LINE = 8 * 1024;
    /** Largest header block (a larger one is answered 431/400). */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final int MAX_CHUNK = 64 * 1024;
    /** Largest request body (a larger one is answered 413). */
    static final int MAX_BODY_BYTES = 1 << 20;

    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    public void start(String bindHost, int port, EventLoopGroup boss, EventLoopGroup workers)
            throws InterruptedException {
        channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RequestDeadline deadline = new RequestDeadline(requestTimeout, idleTimeout);
                        ch.pipeline()
                                .addLast(
                                        limit,
                                        deadline.bytes(),
                                        new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK),
                                        deadline.messages(),
                                        new HttpObjectAggregator(MAX_BODY_BYTES),
                                        new Handler());
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

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.decoderResult().isFailure()) {
                FullHttpResponse response =
                        json(HttpResponseStatus.BAD_REQUEST, "{\"error\":\"malformed HTTP request\"}");
                HttpUtil.setKeepAlive(response, false);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String path = new QueryStringDecoder(request.uri()).path();
            if (path.equals("/health")) {
                HealthReport report = health.get();
                send(
                        ctx,
                        request,
                        json(
                                report.serving() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                                report.toJson()));
                return;
            }
            for (Endpoint endpoint : endpoints) {
                if (endpoint.owns(path)) {
                    endpoint.serve(ctx, request);
                    return;
                }
            }
            send(
                    ctx,
                    request,
                    json(HttpResponseStatus.NOT_FOUND, "{\"error\":\"no such path: " + path.replace("\"", "") + "\"}"));
        }

        private void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static FullHttpResponse json(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }
}
