package io.arbiter.server.rpc;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which live RM channels hold which resources, and Seata's rule for choosing one for a phase-two call: the exact
 * client ({@code appId:ip:port}), then the same application on the same IP, then the same application anywhere,
 * then (AT only) any application holding the resource.
 *
 * <p>Threading: thread-safe; written on event loops when RMs register or disconnect, read by the phase-two driver.
 */
public final class RmDirectory {
    private final Map<String, Set<Channel>> byResource = new ConcurrentHashMap<>();
    private final Map<Channel, ClientSession> sessions = new ConcurrentHashMap<>();
    private volatile Runnable onChange = () -> {};

    /** Runs {@code listener} (on the caller's event loop; must not block) after every registration or removal. */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    public void add(Channel channel, ClientSession session, Collection<String> resourceIds) {
        sessions.put(channel, session);
        session.resourceIds().addAll(resourceIds);
        for (String id : resourceIds) {
            byResource.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(channel);
        }
        onChange.run();
    }

    public void remove(Channel channel) {
        ClientSession session = sessions.remove(channel);
        if (session != null) {
            for (String id : session.resourceIds()) {
                Set<Channel> channels = byResource.get(id);
                if (channels != null) {
                    channels.remove(channel);
                }
            }
            onChange.run();
        }
    }

    /** The channel to call for a branch, or null if no suitable RM is connected. */
    public Channel choose(String resourceId, String clientId, String applicationId, boolean tryOtherApp) {
        Set<Channel> candidates = byResource.get(resourceId);
        if (candidates == null || candidates.isEmpty()) {
            return null;
        }
        Channel best = null;
        RmMatch bestMatch = RmMatch.NONE;
        for (Channel ch : candidates) {
            ClientSession s = sessions.get(ch);
            if (s == null || !ch.isActive()) {
                continue;
            }
            RmMatch match = RmMatch.of(s, clientId, applicationId, tryOtherApp);
            if (match.betterThan(bestMatch)) {
                best = ch;
                bestMatch = match;
            }
        }
        return best;
    }

    /** One live channel for each registered resource id (for undo-log deletion requests). */
    public Map<String, Channel> oneChannelPerResource() {
        Map<String, Channel> out = new java.util.HashMap<>();
        byResource.forEach((id, channels) ->
                channels.stream().filter(Channel::isActive).findFirst().ifPresent(ch -> out.put(id, ch)));
        return out;
    }

    /** The sessions of the registered RM channels. */
    public List<ClientSession> sessions() {
        return new ArrayList<>(sessions.values());
    }
}
