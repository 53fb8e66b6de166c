package io.arbiter.server.rpc;

import io.arbiter.core.command.RequestId;
import io.arbiter.protocol.ClientVersion;
import java.util.HashMap;
import java.util.Map;

/**
 * The head-map entries with which one Arbiter node tells another on whose behalf it forwards a request (the
 * original client's identity, and the request id that deduplicates retries) and which node's RMs an announcement
 * lists. Real Seata clients never send a
 * head map, and nodes only read these entries on channels registered as {@link PeerLinks#PEER_APPLICATION}.
 */
public final class PeerHeaders {
    static final String APP = "x-arbiter-app";
    static final String GROUP = "x-arbiter-group";
    static final String CLIENT = "x-arbiter-client";
    static final String VERSION = "x-arbiter-version";
    static final String ROLE = "x-arbiter-role";
    static final String REQUEST = "x-arbiter-rid";
    static final String ANY_APP = "x-arbiter-any-app";
    static final String HOLDINGS = "x-arbiter-rms-of";
    static final String FRAGMENT = "x-arbiter-fragment";

    private PeerHeaders() {}

    /** Head map for a request forwarded on behalf of {@code session}, meant for fragment {@code fragmentId}. */
    public static Map<String, String> forwarded(ClientSession session, RequestId requestId, int fragmentId) {
        Map<String, String> head = new HashMap<>();
        head.put(FRAGMENT, Integer.toString(fragmentId));
        head.put(APP, session.applicationId());
        head.put(GROUP, session.serviceGroup());
        head.put(CLIENT, session.ip() + ":" + session.port());
        head.put(VERSION, session.version().text());
        head.put(ROLE, session.role().name());
        if (requestId != null) {
            head.put(REQUEST, requestId.origin() + ":" + requestId.sequence());
        }
        return head;
    }

    /** Head map for a phase-two call relayed to the node that holds the RM's channel. */
    public static Map<String, String> relayed(String clientId, String applicationId, boolean anyApp) {
        Map<String, String> head = new HashMap<>();
        head.put(CLIENT, clientId == null ? "" : clientId);
        head.put(APP, applicationId == null ? "" : applicationId);
        head.put(ANY_APP, Boolean.toString(anyApp));
        return head;
    }

    /** Head map of an announcement of the RMs that node {@code selfId} holds ({@link RmAnnouncer}). */
    static Map<String, String> holdings(String selfId) {
        return Map.of(HOLDINGS, selfId);
    }

    /** The node whose RMs a message announces, or null if it is no such announcement. */
    static String holdingsOf(Map<String, String> head) {
        return head.get(HOLDINGS);
    }

    static boolean isForwarded(Map<String, String> head) {
        return head.containsKey(APP) && head.containsKey(ROLE);
    }

    /** The original client's session, rebuilt from a forwarded request's head map. */
    public static ClientSession originOf(Map<String, String> head) {
        String address = head.getOrDefault(CLIENT, ":0");
        int colon = address.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = 0;
        }
        ClientSession.Role role = "RM".equals(head.get(ROLE)) ? ClientSession.Role.RM : ClientSession.Role.TM;
        return new ClientSession(
                role,
                ClientVersion.parse(head.get(VERSION)),
                head.get(APP),
                head.get(GROUP),
                colon < 0 ? address : address.substring(0, colon),
                port);
    }

    /** The fragment a forwarded request is meant for, or -1 if the forwarding node did not say. */
    public static int fragmentOf(Map<String, String> head) {
        try {
            return Integer.parseInt(head.getOrDefault(FRAGMENT, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static RequestId requestIdOf(Map<String, String> head) {
        String rid = head.get(REQUEST);
        if (rid == null) {
            return null;
        }
        int colon = rid.indexOf(':');
        try {
            return new RequestId(Long.parseLong(rid.substring(0, colon)), Long.parseLong(rid.substring(colon + 1)));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
