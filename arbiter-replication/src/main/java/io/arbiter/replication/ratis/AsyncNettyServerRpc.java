package io.arbiter.replication.ratis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.impl.ClientProtoUtils;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.netty.NettyRpcProxy;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotReplyProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcReplyProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteReplyProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionReplyProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyExceptionReplyProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerReplyProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerRequestProto;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerRpcWithProxy;
import org.apache.ratis.thirdparty.io.netty.bootstrap.ServerBootstrap;
import org.apache.ratis.thirdparty.io.netty.channel.Channel;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelHandler;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelHandlerContext;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelInitializer;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelPipeline;
import org.apache.ratis.thirdparty.io.netty.channel.EventLoopGroup;
import org.apache.ratis.thirdparty.io.netty.channel.SimpleChannelInboundHandler;
import org.apache.ratis.thirdparty.io.netty.channel.socket.SocketChannel;
import org.apache.ratis.thirdparty.io.netty.handler.codec.protobuf.ProtobufDecoder;
import org.apache.ratis.thirdparty.io.netty.handler.codec.protobuf.ProtobufEncoder;
import org.apache.ratis.thirdparty.io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import org.apache.ratis.thirdparty.io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import org.apache.ratis.util.IOUtils;
import org.apache.ratis.util.JavaUtils;
import org.apache.ratis.util.NettyUtils;
import org.apache.ratis.util.ProtoUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of Ratis's Netty transport, answering every request without blocking Netty's threads. It speaks
 * the same wire format as Ratis's own {@code NettyRpcService} (so nodes, Ratis's Netty client and its peer proxies
 * talk to it unchanged) and sends to peers with Ratis's {@link NettyRpcProxy}; only the receiving side differs.
 *
 * <p>Why: Ratis 3.3's Netty server handles each request on the Netty event loop that read it and waits there for
 * the answer ({@code appendEntries(...).join()}, RATIS-2629). One event loop serves many connections, so (1) a
 * follower handles the appends of all groups that reach it over one connection one after another, each waiting for
 * its own log force, and (2) an append that never completes blocks every connection of that event loop for good.
 * (2) happens: Ratis does not complete the log tasks still queued when a division closes, and a replica dropped
 * while an append to it was in progress left a node with one of its four event loops dead (RELIABILITY.md, "Eighth
 * run"). Here appends, client and admin requests go to Ratis's asynchronous methods and are answered when their
 * future completes; the requests Ratis offers only synchronously (votes, leader elections, snapshot chunks) run on
 * a small fixed pool of their own ({@value #BLOCKING_THREADS} threads). A request that never completes then holds
 * nothing but its own reply, and its sender times out and sends again as it does for a lost message.
 *
 * <p>Threading: {@link #startImpl()} and {@link #closeImpl()} from Ratis's server start and close; requests arrive
 * on Netty's event loops, replies are written from whichever thread completes them (Netty hands the write to the
 * channel's event loop). Outgoing requests ({@link #appendEntries} etc.) are called by Ratis's log appenders and
 * election threads and block them, as in Ratis's own service.
 */
final class AsyncNettyServerRpc extends RaftServerRpcWithProxy<NettyRpcProxy, NettyRpcProxy.PeerMap> {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncNettyServerRpc.class);
    /**
     * Threads for the requests Ratis handles only synchronously (votes, elections, snapshot chunks: short, and rare
     * but for elections, when every group of a node may vote at once); more wait in line. Idle ones end after
     * {@link #BLOCKING_KEEP_ALIVE_SECONDS}.
     */
    static final int BLOCKING_THREADS = 4;

    private static final long BLOCKING_KEEP_ALIVE_SECONDS = 60;
    /** Thread names of that pool. */
    static final String BLOCKING_THREAD_PREFIX = "raft-server-blocking-";

    private final RaftServer server;
    private final RpcType rpcType;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ExecutorService blocking;
    private final InetSocketAddress bindAddress;
    /** Per peer: held while a request with call id 0 is on its way there (see {@link #send}). */
    private final java.util.concurrent.ConcurrentHashMap<RaftPeerId, Object> callIdZeroTurns =
            new java.util.concurrent.ConcurrentHashMap<>();

    private volatile Channel channel;

    AsyncNettyServerRpc(RaftServer server, RpcType rpcType) {
        super(server::getId, id -> new NettyRpcProxy.PeerMap(id.toString(), server.getProperties()));
        this.server = server;
        this.rpcType = rpcType;
        boolean epoll = NettyConfigKeys.Server.useEpoll(server.getProperties());
        this.bossGroup = NettyUtils.newEventLoopGroup("raft-server-accept", 1, epoll);
        this.workerGroup = NettyUtils.newEventLoopGroup("raft-server-io", 0, epoll);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                BLOCKING_THREADS,
                BLOCKING_THREADS,
                BLOCKING_KEEP_ALIVE_SECONDS,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                NodeExecutors.factory(BLOCKING_THREAD_PREFIX));
        pool.allowCoreThreadTimeOut(true);
        this.blocking = pool;
        String host = NettyConfigKeys.Server.host(server.getProperties());
        int port = NettyConfigKeys.Server.port(server.getProperties());
        this.bindAddress =
                host == null || host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    @Override
    public RpcType getRpcType() {
        return rpcType;
    }

    @Override
    protected void startImpl() throws IOException {
        try {
            channel = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(NettyUtils.getServerChannelClass(workerGroup))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            p.addLast(new ProtobufVarint32FrameDecoder());
                            p.addLast(new ProtobufDecoder(RaftNettyServerRequestProto.getDefaultInstance()));
                            p.addLast(new ProtobufVarint32LengthFieldPrepender());
                            p.addLast(new ProtobufEncoder());
                            p.addLast(inbound);
                        }
                    })
                    .bind(bindAddress)
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            throw new IOException(getId() + ": cannot listen on " + bindAddress, e);
        }
    }

    @Override
    public void closeImpl() throws IOException {
        Channel c = channel;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
        bossGroup.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        workerGroup.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        blocking.shutdownNow();
        try {
            bossGroup.awaitTermination(1, TimeUnit.SECONDS);
            workerGroup.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.closeImpl();
    }

    /**
     * The address listened on, with its host name already set to the address's literal: Ratis turns this address into
     * a string with {@code getHostName()} (the first time a group add answers, for one), which for a bare IP address
     * asks DNS for its name. A soak on 10.213.x.x addresses with no reverse DNS entry saw that lookup hold the
     * node's first group add for 10 s after every restart — a replica placement moved back to the node was then
     * missing for those 10 s while its group's leader already sent to it.
     */
    @Override
    public InetSocketAddress getInetSocketAddress() {
        Channel c = channel;
        return withLiteralHostName(c == null ? bindAddress : (InetSocketAddress) c.localAddress());
    }

    static InetSocketAddress withLiteralHostName(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            return address; // unresolved: getHostName() returns its host as given
        }
        try {
            return new InetSocketAddress(
                    InetAddress.getByAddress(ip.getHostAddress(), ip.getAddress()), address.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + ip.getAddress().length + " bytes", e);
        }
    }

    // ---- receiving ----

    private final ChannelHandler inbound = new Inbound();

    @ChannelHandler.Sharable
    private final class Inbound extends SimpleChannelInboundHandler<RaftNettyServerRequestProto> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RaftNettyServerRequestProto request) {
            RaftRpcRequestProto header;
            try {
                header = header(request);
            } catch (RuntimeException e) {
                LOG.warn("{}: closing {}: {}", getId(), ctx.channel().remoteAddress(), e.getMessage());
                ctx.close();
                return;
            }
            CompletableFuture<RaftNettyServerReplyProto> reply;
            try {
                reply = answer(request);
            } catch (IOException | RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((r, failure) -> ctx.writeAndFlush(
                    failure == null ? r : failed(header, JavaUtils.unwrapCompletionException(failure))));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a frame that does not decode, or an I/O error: this connection only (the sender reconnects); a peer
            // that went away (reset, broken pipe) is routine during restarts
            if (cause instanceof IOException) {
                LOG.debug("{}: closing {}: {}", getId(), ctx.channel().remoteAddress(), cause.toString());
            } else {
                LOG.warn("{}: closing {}: {}", getId(), ctx.channel().remoteAddress(), cause.toString());
            }
            ctx.close();
        }
    }

    private CompletableFuture<RaftNettyServerReplyProto> answer(RaftNettyServerRequestProto request)
            throws IOException {
        RaftNettyServerReplyProto.Builder reply = RaftNettyServerReplyProto.newBuilder();
        switch (request.getRaftNettyServerRequestCase()) {
            case APPENDENTRIESREQUEST:
                return server.appendEntriesAsync(request.getAppendEntriesRequest())
                        .thenApply(r -> reply.setAppendEntriesReply(r).build());
            case RAFTCLIENTREQUEST:
                return server.submitClientRequestAsync(
                                ClientProtoUtils.toRaftClientRequest(request.getRaftClientRequest()))
                        .thenApply(r -> clientReply(reply, r));
            case SETCONFIGURATIONREQUEST:
                return server.setConfigurationAsync(
                                ClientProtoUtils.toSetConfigurationRequest(request.getSetConfigurationRequest()))
                        .thenApply(r -> clientReply(reply, r));
            case TRANSFERLEADERSHIPREQUEST:
                return server.transferLeadershipAsync(
                                ClientProtoUtils.toTransferLeadershipRequest(request.getTransferLeadershipRequest()))
                        .thenApply(r -> clientReply(reply, r));
            case GROUPMANAGEMENTREQUEST:
                return server.groupManagementAsync(
                                ClientProtoUtils.toGroupManagementRequest(request.getGroupManagementRequest()))
                        .thenApply(r -> clientReply(reply, r));
            case SNAPSHOTMANAGEMENTREQUEST:
                return server.snapshotManagementAsync(
                                ClientProtoUtils.toSnapshotManagementRequest(request.getSnapshotManagementRequest()))
                        .thenApply(r -> clientReply(reply, r));
            case LEADERELECTIONMANAGEMENTREQUEST:
                return server.leaderElectionManagementAsync(ClientProtoUtils.toLeaderElectionManagementRequest(
                                request.getLeaderElectionManagementRequest()))
                        .thenApply(r -> clientReply(reply, r));
            case GROUPLISTREQUEST:
                return server.getGroupListAsync(ClientProtoUtils.toGroupListRequest(request.getGroupListRequest()))
                        .thenApply(r -> reply.setGroupListReply(ClientProtoUtils.toGroupListReplyProto(r))
                                .build());
            case GROUPINFOREQUEST:
                return server.getGroupInfoAsync(ClientProtoUtils.toGroupInfoRequest(request.getGroupInfoRequest()))
                        .thenApply(r -> reply.setGroupInfoReply(ClientProtoUtils.toGroupInfoReplyProto(r))
                                .build());
            case REQUESTVOTEREQUEST:
                return onBlockingThread(
                        () -> reply.setRequestVoteReply(server.requestVote(request.getRequestVoteRequest()))
                                .build());
            case STARTLEADERELECTIONREQUEST:
                return onBlockingThread(() -> reply.setStartLeaderElectionReply(
                                server.startLeaderElection(request.getStartLeaderElectionRequest()))
                        .build());
            case INSTALLSNAPSHOTREQUEST:
                return onBlockingThread(
                        () -> reply.setInstallSnapshotReply(server.installSnapshot(request.getInstallSnapshotRequest()))
                                .build());
            default:
                throw new IOException("request kind not supported: " + request.getRaftNettyServerRequestCase());
        }
    }

    private static RaftNettyServerReplyProto clientReply(RaftNettyServerReplyProto.Builder b, RaftClientReply r) {
        return b.setRaftClientReply(ClientProtoUtils.toRaftClientReplyProto(r)).build();
    }

    @FunctionalInterface
    private interface BlockingCall {
        RaftNettyServerReplyProto call() throws IOException;
    }

    private CompletableFuture<RaftNettyServerReplyProto> onBlockingThread(BlockingCall call) {
        CompletableFuture<RaftNettyServerReplyProto> f = new CompletableFuture<>();
        blocking.execute(() -> {
            try {
                f.complete(call.call());
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** The request's header, for the reply's call id; throws if the request names no kind Ratis knows. */
    private static RaftRpcRequestProto header(RaftNettyServerRequestProto request) {
        return switch (request.getRaftNettyServerRequestCase()) {
            case REQUESTVOTEREQUEST -> request.getRequestVoteRequest().getServerRequest();
            case APPENDENTRIESREQUEST -> request.getAppendEntriesRequest().getServerRequest();
            case INSTALLSNAPSHOTREQUEST -> request.getInstallSnapshotRequest().getServerRequest();
            case STARTLEADERELECTIONREQUEST ->
                request.getStartLeaderElectionRequest().getServerRequest();
            case RAFTCLIENTREQUEST -> request.getRaftClientRequest().getRpcRequest();
            case SETCONFIGURATIONREQUEST -> request.getSetConfigurationRequest().getRpcRequest();
            case TRANSFERLEADERSHIPREQUEST ->
                request.getTransferLeadershipRequest().getRpcRequest();
            case GROUPMANAGEMENTREQUEST -> request.getGroupManagementRequest().getRpcRequest();
            case SNAPSHOTMANAGEMENTREQUEST ->
                request.getSnapshotManagementRequest().getRpcRequest();
            case LEADERELECTIONMANAGEMENTREQUEST ->
                request.getLeaderElectionManagementRequest().getRpcRequest();
            case GROUPLISTREQUEST -> request.getGroupListRequest().getRpcRequest();
            case GROUPINFOREQUEST -> request.getGroupInfoRequest().getRpcRequest();
            default ->
                throw new IllegalArgumentException(
                        "request kind not supported: " + request.getRaftNettyServerRequestCase());
        };
    }

    private static RaftNettyServerReplyProto failed(RaftRpcRequestProto header, Throwable failure) {
        RaftRpcReplyProto rpcReply = RaftRpcReplyProto.newBuilder()
                .setRequestorId(header.getRequestorId())
                .setReplyId(header.getReplyId())
                .setCallId(header.getCallId())
                .setSuccess(false)
                .build();
        return RaftNettyServerReplyProto.newBuilder()
                .setExceptionReply(RaftNettyExceptionReplyProto.newBuilder()
                        .setRpcReply(rpcReply)
                        .setException(ProtoUtils.writeObject2ByteString(IOUtils.asIOException(failure))))
                .build();
    }

    // ---- sending (Ratis's log appenders and elections call these) ----

    @Override
    public RequestVoteReplyProto requestVote(RequestVoteRequestProto request) throws IOException {
        return send(
                        request.getServerRequest(),
                        RaftNettyServerRequestProto.newBuilder()
                                .setRequestVoteRequest(request)
                                .build())
                .getRequestVoteReply();
    }

    @Override
    public StartLeaderElectionReplyProto startLeaderElection(StartLeaderElectionRequestProto request)
            throws IOException {
        return send(
                        request.getServerRequest(),
                        RaftNettyServerRequestProto.newBuilder()
                                .setStartLeaderElectionRequest(request)
                                .build())
                .getStartLeaderElectionReply();
    }

    @Override
    public AppendEntriesReplyProto appendEntries(AppendEntriesRequestProto request) throws IOException {
        return send(
                        request.getServerRequest(),
                        RaftNettyServerRequestProto.newBuilder()
                                .setAppendEntriesRequest(request)
                                .build())
                .getAppendEntriesReply();
    }

    @Override
    public InstallSnapshotReplyProto installSnapshot(InstallSnapshotRequestProto request) throws IOException {
        return send(
                        request.getServerRequest(),
                        RaftNettyServerRequestProto.newBuilder()
                                .setInstallSnapshotRequest(request)
                                .build())
                .getInstallSnapshotReply();
    }

    /**
     * Sends on the peer's proxy and waits for the answer. Ratis sends snapshot chunks and leader-election starts with
     * call id 0, and its Netty proxy — one per peer, shared by every group — matches answers by call id and refuses a
     * request whose call id is outstanding ("previous is expected to be null"), without resetting the connection. So
     * with several groups installing a snapshot on the same peer at once (a drained node taking its replicas back),
     * all but one chunk failed at once and were sent again in a loop (a soak logged 4,700 such failures in a minute).
     * Requests with call id 0 therefore go to a peer one at a time.
     */
    private RaftNettyServerReplyProto send(RaftRpcRequestProto header, RaftNettyServerRequestProto request)
            throws IOException {
        RaftPeerId to = RaftPeerId.valueOf(header.getReplyId());
        if (header.getCallId() != 0) {
            return sendNow(to, header, request);
        }
        synchronized (callIdZeroTurns.computeIfAbsent(to, peer -> new Object())) {
            return sendNow(to, header, request);
        }
    }

    private RaftNettyServerReplyProto sendNow(
            RaftPeerId to, RaftRpcRequestProto header, RaftNettyServerRequestProto request) throws IOException {
        try {
            return getProxies().getProxy(to).send(header, request);
        } catch (IOException | RuntimeException e) {
            getProxies().handleException(to, e, false);
            throw e;
        }
    }
}
