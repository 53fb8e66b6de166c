package io.arbiter.server.rpc;

import io.arbiter.protocol.ClientVersion;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a channel told us when it registered: its role, client version, application, transaction service group,
 * and (for RMs) its resources. {@code clientId} is Seata's {@code applicationId:ip:port}.
 *
 * <p>Threading: created on the channel's event loop; the resource set is concurrent because the phase-two
 * driver reads it from other threads.
 */
public final class ClientSession {
    /** The role a channel registered as. */
    public enum Role {
        TM,
        RM
    }

    private final Role role;
    private final ClientVersion version;
    private final String applicationId;
    private final String serviceGroup;
    private final String ip;
    private final int port;
    private final Set<String> resourceIds = ConcurrentHashMap.newKeySet();

    public ClientSession(
            Role role, ClientVersion version, String applicationId, String serviceGroup, String ip, int port) {
        this.role = role;
        this.version = version;
        this.applicationId = applicationId;
        this.serviceGroup = serviceGroup;
        this.ip = ip;
        this.port = port;
    }

    public Role role() {
        return role;
    }

    public ClientVersion version() {
        return version;
    }

    public String applicationId() {
        return applicationId;
    }

    public String serviceGroup() {
        return serviceGroup;
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    public Set<String> resourceIds() {
        return resourceIds;
    }

    public String clientId() {
        return applicationId + ":" + ip + ":" + port;
    }
}
