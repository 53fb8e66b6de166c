package io.arbiter.replication.ratis;

import org.apache.ratis.client.ClientFactory;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.client.NettyClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerRpc;
import org.apache.ratis.server.ServerFactory;

/**
 * Ratis's Netty transport with Arbiter's non-blocking server side ({@link AsyncNettyServerRpc}); clients and peer
 * proxies are Ratis's own. Ratis stores the transport in its properties by name and finds this one again by its
 * class name (hence public, with a public no-argument constructor); nothing outside this package uses it.
 *
 * <p>Threading: stateless.
 */
public final class AsyncNettyRpcType implements RpcType {

    /** For Ratis, which instantiates the type from its class name. */
    public AsyncNettyRpcType() {}

    @Override
    public String name() {
        return AsyncNettyRpcType.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new Factory(this);
    }

    /** Ratis's Netty client; our server side. */
    private record Factory(RpcType type) implements ServerFactory, ClientFactory {
        @Override
        public RpcType getRpcType() {
            return type;
        }

        @Override
        public RaftServerRpc newRaftServerRpc(RaftServer server) {
            return new AsyncNettyServerRpc(server, type);
        }

        @Override
        public RaftClientRpc newRaftClientRpc(ClientId clientId, RaftProperties properties) {
            return new NettyClientRpc(clientId, properties);
        }
    }
}
