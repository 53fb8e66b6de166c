package io.arbiter.replication.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.netty.NettyRpcProxy;
import org.apache.ratis.netty.server.NettyRpcService;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotReplyProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotResult;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcReplyProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerReplyProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerRequestProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerRpc;
import org.apache.ratis.thirdparty.io.netty.channel.EventLoopGroup;
import org.apache.ratis.util.NettyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncNettyServerRpc} over real sockets, with Ratis's own Netty peer proxy as the sender and a stand-in for
 * the Ratis server behind it (the transport is what is tested): an append whose answer never comes holds up neither
 * the next request on the same connection nor other connections; a failed request is answered with its exception;
 * a frame that does not decode closes that connection only. The same scenario against Ratis's own
 * {@link NettyRpcService} shows what the class is for.
 */
class AsyncNettyServerRpcTest {

    private static final RaftPeerId SERVER = RaftPeerId.valueOf("s1");
    private static final RaftPeerId LEADER = RaftPeerId.valueOf("leader");
    /** Appends to this group never complete (Ratis's log lost them: its division closed meanwhile). */
    private static final RaftGroupId STUCK = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(new byte[] {1}));
    /** Appends to this group fail at once, as to a division that is not running. */
    private static final RaftGroupId NOT_READY = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(new byte[] {2}));

    private final CompletableFuture<AppendEntriesReplyProto> neverAnswered = new CompletableFuture<>();
    private final EventLoopGroup clientLoop = NettyUtils.newEventLoopGroup("test-client", 1, false);
    private RaftServerRpc rpc;
    private RaftServerRpc sender;
    private final java.util.concurrent.atomic.AtomicInteger chunksInProgress =
            new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger chunksAnsweredAtOnce =
            new java.util.concurrent.atomic.AtomicInteger();
    private NettyRpcProxy proxy;
    private NettyRpcProxy otherProxy;

    @AfterEach
    void close() throws IOException {
        neverAnswered.complete(reply(0)); // frees a blocked Ratis event loop, if any
        for (AutoCloseable c : new AutoCloseable[] {proxy, otherProxy, rpc, sender}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        clientLoop.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
    }

    @Test
    void anAppendThatIsNeverAnsweredHoldsUpNoOtherRequest() throws Exception {
        start(true);
        CompletableFuture<RaftNettyServerReplyProto> stuck = proxy.sendAsync(append(STUCK, 1));
        RaftNettyServerReplyProto next = proxy.sendAsync(append(group(7), 2)).get(5, TimeUnit.SECONDS);
        RaftNettyServerReplyProto other =
                otherProxy.sendAsync(append(group(8), 3)).get(5, TimeUnit.SECONDS);

        assertThat(next.getAppendEntriesReply().getServerReply().getCallId()).isEqualTo(2);
        assertThat(other.getAppendEntriesReply().getServerReply().getCallId()).isEqualTo(3);
        assertThat(stuck).isNotDone();
    }

    @Test
    void theAddressItReportsNeedsNoReverseDnsLookupForItsName() throws Exception {
        start(true);
        java.net.InetSocketAddress reported = rpc.getInetSocketAddress();
        // "name/ip": the name is set (a bare address prints "/ip", and getHostName() would ask DNS for it)
        assertThat(reported.getAddress().toString()).isEqualTo("127.0.0.1/127.0.0.1");
        assertThat(reported.getHostName()).isEqualTo("127.0.0.1");

        java.net.InetSocketAddress bare = new java.net.InetSocketAddress(
                java.net.InetAddress.getByAddress(new byte[] {10, (byte) 213, 0, 1}), 9091);
        assertThat(bare.getAddress().toString())
                .as("a bare address has no name yet")
                .isEqualTo("/10.213.0.1");
        java.net.InetSocketAddress named = AsyncNettyServerRpc.withLiteralHostName(bare);
        assertThat(named.getAddress().toString()).isEqualTo("10.213.0.1/10.213.0.1");
        assertThat(named.getPort()).isEqualTo(9091);
    }

    @Test
    void snapshotChunksOfSeveralGroupsToOnePeerGoOneAtATime() throws Exception {
        int port = start(true);
        RaftProperties senderProperties = new RaftProperties();
        NettyConfigKeys.Server.setHost(senderProperties, "127.0.0.1");
        NettyConfigKeys.Server.setPort(senderProperties, TestGroups.freePort());
        sender = new AsyncNettyServerRpc(standIn(senderProperties), new AsyncNettyRpcType());
        sender.addRaftPeers(java.util.List.of(RaftPeer.newBuilder()
                .setId(SERVER)
                .setAddress("127.0.0.1:" + port)
                .build()));

        // two groups' chunks at once, each with call id 0 as Ratis sends them; each answer takes a while
        java.util.List<CompletableFuture<InstallSnapshotReplyProto>> sent = new java.util.ArrayList<>();
        for (int g = 0; g < 3; g++) {
            RaftGroupId group = group(g);
            sent.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return sender.installSnapshot(chunk(group));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (CompletableFuture<InstallSnapshotReplyProto> reply : sent) {
            assertThat(reply.get(10, TimeUnit.SECONDS).getResult()).isEqualTo(InstallSnapshotResult.SUCCESS);
        }
        assertThat(chunksAnsweredAtOnce.get())
                .as("one at a time on the peer's connection")
                .isEqualTo(1);
    }

    @Test
    void ratisOwnNettyServerWaitsForEachAppendOnTheEventLoop() throws Exception {
        start(false);
        proxy.sendAsync(append(STUCK, 1));
        CompletableFuture<RaftNettyServerReplyProto> next = proxy.sendAsync(append(group(7), 2));

        // the next append on the same connection waits behind the one that is never answered
        assertThatThrownBy(() -> next.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void aFailedRequestIsAnsweredWithItsException() throws Exception {
        start(true);
        CompletableFuture<RaftNettyServerReplyProto> failed = proxy.sendAsync(append(NOT_READY, 4));

        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ServerNotReadyException.class)
                .hasMessageContaining("not running");
    }

    @Test
    void aFrameThatDoesNotDecodeClosesOnlyItsConnection() throws Exception {
        int port = start(true);
        try (Socket raw = new Socket("127.0.0.1", port)) {
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            out.flush();
            raw.setSoTimeout(5_000);
            InputStream in = raw.getInputStream();
            assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
        }
        RaftNettyServerReplyProto answered =
                proxy.sendAsync(append(group(9), 5)).get(5, TimeUnit.SECONDS);
        assertThat(answered.getAppendEntriesReply().getServerReply().getCallId())
                .isEqualTo(5);
    }

    /** Starts the server side (ours or Ratis's) and two peer proxies to it; returns its port. */
    private int start(boolean ours) throws Exception {
        int port = TestGroups.freePort();
        RaftProperties properties = new RaftProperties();
        NettyConfigKeys.Server.setHost(properties, "127.0.0.1");
        NettyConfigKeys.Server.setPort(properties, port);
        RaftServer server = standIn(properties);
        rpc = ours
                ? new AsyncNettyServerRpc(server, new AsyncNettyRpcType())
                : NettyRpcService.newBuilder().setServer(server).build();
        rpc.start();
        RaftPeer peer = RaftPeer.newBuilder()
                .setId(SERVER)
                .setAddress("127.0.0.1:" + port)
                .build();
        proxy = new NettyRpcProxy(peer, properties, clientLoop);
        otherProxy = new NettyRpcProxy(peer, properties, clientLoop);
        return port;
    }

    /** A Ratis server that answers appends only: at once, never (STUCK) or with an error (NOT_READY). */
    private RaftServer standIn(RaftProperties properties) {
        return (RaftServer) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {RaftServer.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "getId":
                            return SERVER;
                        case "getProperties":
                            return properties;
                        case "appendEntriesAsync":
                        case "appendEntries":
                            AppendEntriesRequestProto r = (AppendEntriesRequestProto) args[0];
                            RaftGroupId g = RaftGroupId.valueOf(
                                    r.getServerRequest().getRaftGroupId().getId());
                            if (g.equals(NOT_READY)) {
                                throw new ServerNotReadyException(SERVER + "@" + g + " is not running");
                            }
                            CompletableFuture<AppendEntriesReplyProto> f = g.equals(STUCK)
                                    ? neverAnswered
                                    : CompletableFuture.completedFuture(
                                            reply(r.getServerRequest().getCallId()));
                            return method.getName().equals("appendEntries") ? f.join() : f;
                        case "installSnapshot":
                            int now = chunksInProgress.incrementAndGet();
                            chunksAnsweredAtOnce.accumulateAndGet(now, Math::max);
                            Thread.sleep(300);
                            chunksInProgress.decrementAndGet();
                            return InstallSnapshotReplyProto.newBuilder() // call id 0, as Ratis answers chunks
                                    .setServerReply(RaftRpcReplyProto.newBuilder()
                                            .setRequestorId(LEADER.toByteString())
                                            .setReplyId(SERVER.toByteString())
                                            .setSuccess(true))
                                    .setResult(InstallSnapshotResult.SUCCESS)
                                    .build();
                        case "toString":
                            return "stand-in " + SERVER;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static RaftGroupId group(int n) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(new byte[] {(byte) (16 + n)}));
    }

    private static RaftNettyServerRequestProto append(RaftGroupId group, long callId) {
        return RaftNettyServerRequestProto.newBuilder()
                .setAppendEntriesRequest(AppendEntriesRequestProto.newBuilder()
                        .setServerRequest(RaftRpcRequestProto.newBuilder()
                                .setRequestorId(LEADER.toByteString())
                                .setReplyId(SERVER.toByteString())
                                .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(group.toByteString()))
                                .setCallId(callId))
                        .setLeaderTerm(1))
                .build();
    }

    /** A snapshot chunk as Ratis's leader sends it: without a call id. */
    private static InstallSnapshotRequestProto chunk(RaftGroupId group) {
        return InstallSnapshotRequestProto.newBuilder()
                .setServerRequest(RaftRpcRequestProto.newBuilder()
                        .setRequestorId(LEADER.toByteString())
                        .setReplyId(SERVER.toByteString())
                        .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(group.toByteString())))
                .setLeaderTerm(1)
                .build();
    }

    private static AppendEntriesReplyProto reply(long callId) {
        return AppendEntriesReplyProto.newBuilder()
                .setServerReply(RaftRpcReplyProto.newBuilder()
                        .setRequestorId(LEADER.toByteString())
                        .setReplyId(SERVER.toByteString())
                        .setCallId(callId)
                        .setSuccess(true))
                .build();
    }
}
