package io.arbiter.compat.client;

import io.arbiter.compat.server.ArbiterEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client configuration every scenario uses, as system properties (Seata reads a system property before its
 * {@code registry.conf} / {@code file.conf}; both lines use these key names).
 */
public final class ClientSettings {
    public static final String APPLICATION_ID = "arbiter-compat";
    public static final String TX_GROUP = "compat_tx_group";

    private ClientSettings() {}

    /**
     * A TC that brings its own client configuration (e.g. a cluster: a grouplist of every node, or Seata's raft
     * registry); {@link #systemProperties} then returns exactly that.
     */
    public interface Source {
        Map<String, String> clientProperties();
    }

    public static Map<String, String> systemProperties(ArbiterEndpoint tc) {
        if (tc instanceof Source source) {
            return new LinkedHashMap<>(source.clientProperties());
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("service.vgroupMapping." + TX_GROUP, "default");
        p.put("service.default.grouplist", tc.address());
        // a few seconds of lock retry: enough to wait out a concurrent transaction's commit
        p.put("client.rm.lock.retryInterval", "20");
        p.put("client.rm.lock.retryTimes", "150");
        // fail faster than the 30 s / 15 s defaults when the TC does not answer
        p.put("transport.rpcTmRequestTimeout", "15000");
        p.put("transport.rpcRmRequestTimeout", "10000");
        return p;
    }

    /** Sets {@link #systemProperties} on this JVM. */
    public static void apply(ArbiterEndpoint tc) {
        systemProperties(tc).forEach(System::setProperty);
    }
}
