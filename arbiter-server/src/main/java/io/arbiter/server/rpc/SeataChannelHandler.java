package io.arbiter.server.rpc;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.MessageKind;
import io.arbiter.protocol.message.BranchEndRequest;
import io.arbiter.protocol.message.BranchEndResponse;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.arbiter.protocol.message.MergeResultMessage;
import io.arbiter.protocol.message.MergedWarpMessage;
import io.arbiter.protocol.message.PeerCommandRequest;
import io.arbiter.protocol.message.PeerOperationRequest;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterRMResponse;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.RegisterTMResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.server.routing.FragmentCommands;
import io.arbiter.server.routing.RequestRouter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin dispatcher at the end of the Seata pipeline: heartbeats, registration, transaction requests (alone or
 * batched in a MergedWarpMessage, answered by a MergeResultMessage with the same frame id and order), and answers
 * to our phase-two calls. Channels that send transaction requests before registering are closed, as are channels
 * idle for the read-idle period.
 *
 * <p>Threading: one instance per channel, called on its event loop; it never blocks: transaction requests are
 * futures whose answers are written from whatever thread completes them.
 */
public final class SeataChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SeataChannelHandler.class);
    /** The session of a registered channel; the frame decoder reads the client version from it. */
    public static final AttributeKey<ClientSession> SESSION = AttributeKey.valueOf("arbiter.session");

    private final RequestRouter gateway;
    private final FragmentCommands fragmentCommands;
    private final RmDirectory rms;
    private final OutboundCalls calls;
    private final BranchCaller branches;
    private final PeerRms peerRms;
    private final String serverVersion;
    private final ClientConnections connections;
    private final PeerOperationHandler operations;

    public SeataChannelHandler(
            RequestRouter gateway,
            FragmentCommands fragmentCommands,
            RmDirectory rms,
            OutboundCalls calls,
            BranchCaller branches,
            PeerRms peerRms,
            String serverVersion) {
        this(
                gateway,
                fragmentCommands,
                rms,
                calls,
                branches,
                peerRms,
                serverVersion,
                new ClientConnections(),
                PeerOperationHandler.NONE);
    }

    /**
     * @param connections where registered channels are counted (shared by the node's channels)
     * @param operations  serves placement steps and load reports asked by peers
     */
    public SeataChannelHandler(
            RequestRouter gateway,
            FragmentCommands fragmentCommands,
            RmDirectory rms,
            OutboundCalls calls,
            BranchCaller branches,
            PeerRms peerRms,
            String serverVersion,
            ClientConnections connections,
            PeerOperationHandler operations) {
        this.operations = operations;
        this.connections = connections;
        this.gateway = gateway;
        this.fragmentCommands = fragmentCommands;
        this.rms = rms;
        this.calls = calls;
        this.branches = branches;
        this.peerRms = peerRms;
        this.serverVersion = serverVersion;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        SeataMessage body = frame.body();
        if (body instanceof HeartbeatMessage hb) {
            if (hb.isPing()) {
                ctx.writeAndFlush(Frame.pongFor(frame));
            }
        } else if (body instanceof RegisterTMRequest r) {
            registerTm(ctx, frame, r);
        } else if (body instanceof RegisterRMRequest r && isHoldingsAnnouncement(ctx, frame)) {
            peerRms.replace(PeerHeaders.holdingsOf(frame.headMap()), RmHoldings.decode(r.resourceIds()));
            ctx.writeAndFlush(Frame.responseTo(frame, new RegisterRMResponse(true, serverVersion)));
        } else if (body instanceof RegisterRMRequest r) {
            registerRm(ctx, frame, r);
        } else if (body instanceof PeerCommandRequest command) {
            handlePeerCommand(ctx, frame, command);
        } else if (body instanceof PeerOperationRequest operation) {
            handlePeerOperation(ctx, frame, operation);
        } else if (frame.messageType() == MessageKind.RESPONSE) {
            if (!(body instanceof BranchEndResponse) || !calls.complete(frame.requestId(), body)) {
                LOG.debug(
                        "unexpected response {} id {} from {}",
                        body.getClass().getSimpleName(),
                        frame.requestId(),
                        ctx.channel().remoteAddress());
            }
        } else if (body instanceof TransactionRequest || body instanceof MergedWarpMessage) {
            ClientSession session = ctx.channel().attr(SESSION).get();
            if (session == null) {
                LOG.warn(
                        "closing {}: {} before registration",
                        ctx.channel().remoteAddress(),
                        body.getClass().getSimpleName());
                ctx.close();
            } else if (body instanceof MergedWarpMessage merged) {
                handleMerged(ctx, frame, session, merged);
            } else if (isPeer(session)) {
                handleFromPeer(ctx, frame, (TransactionRequest) body);
            } else {
                gateway.handle(session, (TransactionRequest) body).whenComplete((answer, error) -> {
                    if (error != null) {
                        exceptionCaught(ctx, error);
                    } else {
                        ctx.writeAndFlush(Frame.responseTo(frame, answer));
                    }
                });
            }
        } else {
            LOG.warn(
                    "closing {}: a TC does not accept {}",
                    ctx.channel().remoteAddress(),
                    body.getClass().getSimpleName());
            ctx.close();
        }
    }

    /** A peer tells us which RMs it holds: an RM registration on its link, marked in the head map. */
    private static boolean isHoldingsAnnouncement(ChannelHandlerContext ctx, Frame frame) {
        ClientSession session = ctx.channel().attr(SESSION).get();
        return session != null && isPeer(session) && PeerHeaders.holdingsOf(frame.headMap()) != null;
    }

    private static boolean isPeer(ClientSession session) {
        return PeerLinks.PEER_APPLICATION.equals(session.applicationId());
    }

    /** A peer asks this node to run a command in a fragment it leads; only peers may. */
    private void handlePeerCommand(ChannelHandlerContext ctx, Frame frame, PeerCommandRequest command) {
        if (fromPeer(ctx)) {
            answer(ctx, frame, fragmentCommands.serve(command));
        }
    }

    /** A peer (the placement loop) asks this node for a placement step or its load report; only peers may. */
    private void handlePeerOperation(ChannelHandlerContext ctx, Frame frame, PeerOperationRequest operation) {
        if (fromPeer(ctx)) {
            answer(ctx, frame, operations.serve(operation));
        }
    }

    /** Whether the channel is a peer link; if not, it is closed (peers' messages from anyone else are an attack). */
    private boolean fromPeer(ChannelHandlerContext ctx) {
        ClientSession session = ctx.channel().attr(SESSION).get();
        if (session == null || !isPeer(session)) {
            LOG.warn(
                    "closing {}: a peer message from a channel that is not a peer link",
                    ctx.channel().remoteAddress());
            ctx.close();
            return false;
        }
        return true;
    }

    private void answer(ChannelHandlerContext ctx, Frame frame, CompletableFuture<? extends SeataMessage> reply) {
        reply.whenComplete((answer, error) -> {
            if (error != null) {
                exceptionCaught(ctx, error);
            } else {
                ctx.writeAndFlush(Frame.responseTo(frame, answer));
            }
        });
    }

    /** A peer forwards a client's request to us (we lead) or relays a phase-two call to an RM of ours. */
    private void handleFromPeer(ChannelHandlerContext ctx, Frame frame, TransactionRequest request) {
        CompletableFuture<? extends SeataMessage> answer;
        if (request instanceof BranchEndRequest call) {
            answer = branches.serveRelayed(call, frame.headMap());
        } else if (PeerHeaders.isForwarded(frame.headMap())) {
            answer = gateway.handleForwarded(
                    PeerHeaders.originOf(frame.headMap()),
                    request,
                    PeerHeaders.requestIdOf(frame.headMap()),
                    PeerHeaders.fragmentOf(frame.headMap()));
        } else {
            answer = gateway.handle(ctx.channel().attr(SESSION).get(), request);
        }
        answer.whenComplete((message, error) -> {
            if (error != null) {
                exceptionCaught(ctx, error);
            } else {
                ctx.writeAndFlush(Frame.responseTo(frame, message));
            }
        });
    }

    private void handleMerged(ChannelHandlerContext ctx, Frame frame, ClientSession session, MergedWarpMessage merged) {
        List<CompletableFuture<ResultMessage>> answers =
                new ArrayList<>(merged.msgs().size());
        for (TransactionRequest request : merged.msgs()) {
            answers.add(gateway.handle(session, request));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            if (error != null) {
                exceptionCaught(ctx, error);
                return;
            }
            List<ResultMessage> results =
                    answers.stream().map(CompletableFuture::join).toList();
            ctx.writeAndFlush(Frame.responseTo(frame, new MergeResultMessage(results)));
        });
    }

    private void registerTm(ChannelHandlerContext ctx, Frame frame, RegisterTMRequest r) {
        if (isBlank(r.applicationId()) || isBlank(r.transactionServiceGroup())) {
            rejectRegistration(ctx, frame, new RegisterTMResponse(false, serverVersion), "TM");
            return;
        }
        ClientSession session =
                newSession(ctx, ClientSession.Role.TM, r.version(), r.applicationId(), r.transactionServiceGroup());
        ClientSession previous = ctx.channel().attr(SESSION).getAndSet(session);
        if (previous != null) {
            connections.closed(previous); // registered again on the same channel
        }
        connections.opened(session);
        LOG.info("TM registered: {} group {} version {}", session.clientId(), session.serviceGroup(), r.version());
        ctx.writeAndFlush(Frame.responseTo(frame, new RegisterTMResponse(true, versionFor(r.version()))));
    }

    private void registerRm(ChannelHandlerContext ctx, Frame frame, RegisterRMRequest r) {
        ClientSession session = ctx.channel().attr(SESSION).get();
        if (session == null) {
            if (isBlank(r.applicationId()) || isBlank(r.transactionServiceGroup())) {
                rejectRegistration(ctx, frame, new RegisterRMResponse(false, serverVersion), "RM");
                return;
            }
            session =
                    newSession(ctx, ClientSession.Role.RM, r.version(), r.applicationId(), r.transactionServiceGroup());
            ctx.channel().attr(SESSION).set(session);
            connections.opened(session);
            LOG.info("RM registered: {} resources [{}] version {}", session.clientId(), r.resourceIds(), r.version());
        } else if (session.role() != ClientSession.Role.RM) {
            LOG.warn(
                    "closing {}: RM registration on a {} channel", ctx.channel().remoteAddress(), session.role());
            ctx.close();
            return;
        }
        rms.add(ctx.channel(), session, resourceIds(r.resourceIds()));
        ctx.writeAndFlush(Frame.responseTo(frame, new RegisterRMResponse(true, versionFor(r.version()))));
    }

    private void rejectRegistration(ChannelHandlerContext ctx, Frame frame, SeataMessage answer, String role) {
        LOG.warn(
                "closing {}: {} registration without application id or transaction service group",
                ctx.channel().remoteAddress(),
                role);
        ctx.writeAndFlush(Frame.responseTo(frame, answer)).addListener(f -> ctx.close());
    }

    private static ClientSession newSession(
            ChannelHandlerContext ctx, ClientSession.Role role, String version, String app, String group) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        return new ClientSession(
                role,
                ClientVersion.parse(version),
                app,
                group,
                remote.getAddress().getHostAddress(),
                remote.getPort());
    }

    /** We answer with the client's own version: clients only log it, and it never makes them change behaviour. */
    private String versionFor(String clientVersion) {
        return isBlank(clientVersion) ? serverVersion : clientVersion;
    }

    private static List<String> resourceIds(String joined) {
        if (joined == null || joined.isBlank()) {
            return List.of();
        }
        return Arrays.stream(joined.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.info("closing {}: idle for the read-idle period", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ClientSession session = ctx.channel().attr(SESSION).get();
        if (session != null) {
            connections.closed(session);
        }
        rms.remove(ctx.channel());
        calls.channelClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
