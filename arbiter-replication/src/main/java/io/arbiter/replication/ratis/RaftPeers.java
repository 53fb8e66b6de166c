package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicaGroupConfig.Peer;
import java.util.Collection;
import java.util.List;
import org.apache.ratis.protocol.RaftPeer;

/** Conversions between our {@link Peer} and Ratis's {@link RaftPeer} ({@code host:port} addresses). Stateless. */
final class RaftPeers {

    private RaftPeers() {}

    static RaftPeer toRaft(Peer p) {
        return RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build();
    }

    static List<RaftPeer> toRaft(List<Peer> peers) {
        return peers.stream().map(RaftPeers::toRaft).toList();
    }

    /** A Ratis peer as ours; its address must be {@code host:port} (IPv6 hosts may be bracketed or not). */
    static Peer fromRaft(RaftPeer p) {
        String address = p.getAddress();
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("peer " + p.getId() + " has no host:port address: " + address);
        }
        return new Peer(
                p.getId().toString(), address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    static List<Peer> fromRaft(Collection<RaftPeer> peers) {
        return peers.stream().map(RaftPeers::fromRaft).toList();
    }

    static boolean containsId(Collection<RaftPeer> peers, String id) {
        return peers.stream().anyMatch(p -> p.getId().toString().equals(id));
    }
}
