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

    public void add(Channel channel, ClientSession session, Collection<String> resourceIds) {
        sessions.put(channel, session);
        session.resourceIds().addAll(resourceIds);
        for (String id : resourceIds) {
            byResource.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(channel);
        }
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
        }
    }

    /** The channel to call for a branch, or null if no suitable RM is connected. */
    public Channel choose(String resourceId, String clientId, String applicationId, boolean tryOtherApp) {
        Set<Channel> candidates = byResource.get(resourceId);
        if (candidates == null || candidates.isEmpty()) {
            return null;
        }
        String clientIp = ipOf(clientId);
        Channel sameIp = null;
        Channel sameApp = null;
        Channel other = null;
        for (Channel ch : candidates) {
            ClientSession s = sessions.get(ch);
            if (s == null || !ch.isActive()) {
                continue;
            }
            if (s.clientId().equals(clientId)) {
                return ch;
            }
            if (s.applicationId().equals(applicationId)) {
                if (s.ip().equals(clientIp)) {
                    sameIp = sameIp == null ? ch : sameIp;
                } else {
                    sameApp = sameApp == null ? ch : sameApp;
                }
            } else {
                other = other == null ? ch : other;
            }
        }
        if (sameIp != null) {
            return sameIp;
        }
        if (sameApp != null) {
            return sameApp;
        }
        return tryOtherApp ? other : null;
    }

    /** One live channel for each registered resource id (for undo-log deletion requests). */
    public Map<String, Channel> oneChannelPerResource() {
        Map<String, Channel> out = new java.util.HashMap<>();
        byResource.forEach((id, channels) -> channels.stream().filter(Channel::isActive).findFirst()
                .ifPresent(ch -> out.put(id, ch)));
        return out;
    }

    public List<ClientSession> sessions() {
        return new ArrayList<>(sessions.values());
    }

    private static String ipOf(String clientId) {
        if (clientId == null) {
            return "";
        }
        int first = clientId.indexOf(':');
        int last = clientId.lastIndexOf(':');
        return first >= 0 && last > first ? clientId.substring(first + 1, last) : "";
    }
}
