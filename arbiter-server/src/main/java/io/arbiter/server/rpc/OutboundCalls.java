package io.arbiter.server.rpc;

import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.frame.MessageKind;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests the TC sends to clients (phase-two calls) as SYNC frames with our own id counter, and the matching
 * of their responses. A call fails on timeout or when its channel closes.
 *
 * <p>Threading: thread-safe; {@link #call} may be used from any thread, responses arrive on event loops.
 */
public final class OutboundCalls {
    private record Pending(Channel channel, CompletableFuture<SeataMessage> future) {}

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

    /** Sends {@code request} on {@code channel}; completes with the response body. */
    public CompletableFuture<SeataMessage> call(Channel channel, SeataMessage request, Duration timeout) {
        return call(channel, request, Map.of(), timeout);
    }

    /** Like {@link #call(Channel, SeataMessage, Duration)}, with a head map (used between Arbiter nodes). */
    public CompletableFuture<SeataMessage> call(
            Channel channel, SeataMessage request, Map<String, String> head, Duration timeout) {
        int id = ids.incrementAndGet() & Integer.MAX_VALUE;
        CompletableFuture<SeataMessage> future = new CompletableFuture<>();
        pending.put(id, new Pending(channel, future));
        future.whenComplete((r, e) -> pending.remove(id));
        Frame frame = head.isEmpty()
                ? Frame.request(id, request)
                : new Frame(MessageKind.REQUEST_SYNC, FrameCodec.CODEC_SEATA, (byte) 0, id, head, request);
        channel.writeAndFlush(frame).addListener(f -> {
            if (!f.isSuccess()) {
                future.completeExceptionally(f.cause());
            }
        });
        channel.eventLoop()
                .schedule(
                        () -> future.completeExceptionally(new TimeoutException(
                                "no answer from " + channel.remoteAddress() + " within " + timeout)),
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        return future;
    }

    /** A response frame arrived; returns false if no call was waiting for its id. */
    public boolean complete(int requestId, SeataMessage body) {
        Pending p = pending.get(requestId);
        return p != null && p.future().complete(body);
    }

    /** The channel closed: its calls fail now rather than at their timeout. */
    public void channelClosed(Channel channel) {
        pending.values().stream()
                .filter(p -> p.channel() == channel)
                .forEach(p -> p.future()
                        .completeExceptionally(
                                new IllegalStateException("channel closed: " + channel.remoteAddress())));
    }

    public int inFlight() {
        return pending.size();
    }
}
