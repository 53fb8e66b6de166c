package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterMember;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The {@code term} of a metadata answer, which the Seata client keeps and sends back, unread, with each watch. It
 * says which metadata the client holds, so that any node can judge it: a fingerprint of the membership and the
 * member the answer named LEADER, i.e. the node the client now sends everything to.
 *
 * <p>Seata's own server puts its Raft term there and compares numbers; Arbiter cannot, since every node names a
 * different LEADER and a client watches a node other than the one it fetched from. Encoded as a positive long:
 * {@code fingerprint (31 bits) << 16 | slot}, where slot is the named member's position in the membership plus one
 * (0: none). Any other number (a client that held metadata of another server) decodes to a fingerprint no
 * membership has, so it is stale.
 */
record MetadataTerm(int fingerprint, int slot) {
    private static final int SLOT_BITS = 16;

    static MetadataTerm of(List<ClusterMember> members, String namedId) {
        int slot = 0;
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id().equals(namedId)) {
                slot = i + 1;
                break;
            }
        }
        return new MetadataTerm(fingerprint(members), slot);
    }

    static MetadataTerm decode(long term) {
        return new MetadataTerm((int) ((term >>> SLOT_BITS) & 0x7fffffffL), (int) (term & 0xffff));
    }

    long encode() {
        return ((long) fingerprint << SLOT_BITS) | slot;
    }

    /** Whether this term was issued for the membership {@code members}. */
    boolean describes(List<ClusterMember> members) {
        return fingerprint == fingerprint(members);
    }

    /** The member the answer named, if the term was issued for {@code members}. */
    Optional<ClusterMember> named(List<ClusterMember> members) {
        if (!describes(members) || slot < 1 || slot > members.size()) {
            return Optional.empty();
        }
        return Optional.of(members.get(slot - 1));
    }

    /** FNV-1a over the members' ids in order, as 31 bits with the top one set (never a small number). */
    static int fingerprint(List<ClusterMember> members) {
        int h = 0x811c9dc5;
        for (ClusterMember m : members) {
            for (byte b : m.id().getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * 0x01000193;
            }
            h = (h ^ 0x1f) * 0x01000193; // separator
        }
        return (h & 0x3fffffff) | 0x40000000;
    }
}
