package io.arbiter.server.http.metadata;

import io.arbiter.server.cluster.ClusterMember;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The {@code term} of a metadata answer, which the Seata client keeps and sends back, unread, with each watch. It
 * says which metadata the client holds, so that any node can judge it: the Raft term of the leadership the
 * answering node knew, a fingerprint of the membership, and the member the answer named LEADER, i.e. the node the
 * client now sends everything to.
 *
 * <p>Seata's own server puts its Raft term there and compares numbers; Arbiter needs more, since every node names a
 * different LEADER and a client watches a node other than the one it fetched from. Encoded as a positive long:
 * {@code raftTerm (32 bits) << 31 | fingerprint (23 bits) << 8 | slot (8 bits)}, where slot is the named member's
 * position in the membership plus one (0: none). Any other number (a client that held metadata of another server)
 * decodes to a fingerprint no membership has, so it is stale.
 */
record MetadataTerm(long raftTerm, int fingerprint, int slot) {
    private static final int SLOT_BITS = 8;
    private static final int FINGERPRINT_BITS = 23;
    private static final int MAX_SLOT = (1 << SLOT_BITS) - 1;

    static MetadataTerm of(long raftTerm, List<ClusterMember> members, String namedId) {
        int slot = 0;
        for (int i = 0; i < members.size() && i < MAX_SLOT; i++) {
            if (members.get(i).id().equals(namedId)) {
                slot = i + 1;
                break;
            }
        }
        return new MetadataTerm(raftTerm & 0xffffffffL, fingerprint(members), slot);
    }

    static MetadataTerm decode(long term) {
        return new MetadataTerm(
                (term >>> (FINGERPRINT_BITS + SLOT_BITS)) & 0xffffffffL,
                (int) ((term >>> SLOT_BITS) & ((1 << FINGERPRINT_BITS) - 1)),
                (int) (term & MAX_SLOT));
    }

    long encode() {
        return (raftTerm << (FINGERPRINT_BITS + SLOT_BITS)) | ((long) fingerprint << SLOT_BITS) | slot;
    }

    /**
     * Whether a client holding this term should fetch new metadata from a node that knows {@code raftTerm} and
     * {@code members}: an older Raft term, another membership, or the member it sends to is not {@code reachable}.
     */
    boolean isStale(long currentRaftTerm, List<ClusterMember> members, Predicate<String> reachable) {
        return raftTerm < (currentRaftTerm & 0xffffffffL)
                || named(members).map(m -> !reachable.test(m.id())).orElse(true);
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

    /** FNV-1a over the members' ids in order, as 23 bits with the top one set (never a small number). */
    static int fingerprint(List<ClusterMember> members) {
        int h = 0x811c9dc5;
        for (ClusterMember m : members) {
            for (byte b : m.id().getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * 0x01000193;
            }
            h = (h ^ 0x1f) * 0x01000193; // separator
        }
        h ^= h >>> 15;
        return (h & 0x3fffff) | 0x400000;
    }
}
