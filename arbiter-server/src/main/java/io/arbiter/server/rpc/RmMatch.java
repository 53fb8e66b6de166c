package io.arbiter.server.rpc;

/**
 * How well a registered RM suits a phase-two call for a branch, by Seata's rule: the exact client that registered
 * the branch ({@code appId:ip:port}), then the same application on the same IP, then the same application
 * anywhere, then (AT only) any application holding the resource. Declared best first.
 */
enum RmMatch {
    EXACT,
    SAME_APP_SAME_IP,
    SAME_APP,
    OTHER_APP,
    NONE;

    /** How {@code rm} suits a branch registered by {@code clientId} of {@code applicationId}. */
    static RmMatch of(ClientSession rm, String clientId, String applicationId, boolean tryOtherApp) {
        if (rm.clientId().equals(clientId)) {
            return EXACT;
        }
        if (rm.applicationId().equals(applicationId)) {
            return rm.ip().equals(ipOf(clientId)) ? SAME_APP_SAME_IP : SAME_APP;
        }
        return tryOtherApp ? OTHER_APP : NONE;
    }

    boolean betterThan(RmMatch other) {
        return ordinal() < other.ordinal();
    }

    /** The IP of Seata's {@code appId:ip:port} client id, or "" if it has no such shape. */
    static String ipOf(String clientId) {
        if (clientId == null) {
            return "";
        }
        int first = clientId.indexOf(':');
        int last = clientId.lastIndexOf(':');
        return first >= 0 && last > first ? clientId.substring(first + 1, last) : "";
    }
}
