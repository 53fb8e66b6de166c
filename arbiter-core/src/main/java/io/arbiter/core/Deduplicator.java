package io.arbiter.core;

import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers of recently applied requests, so that a retried request is applied once. Bounded: the oldest entries
 * leave first, deterministically (same history, same contents, on every replica).
 *
 * <p>Kept in a ring of primitive arrays with a {@link SlotIndex}, without an object per entry for the answers that
 * carry request ids in practice (began, branch registered, status): a {@code LinkedHashMap} of 100,000 answers kept
 * about six objects per request alive for tens of seconds, and copying them made every young collection of a busy
 * node take 50-200 ms. Other answers (refusals) are kept as they are.
 */
final class Deduplicator implements SlotIndex.Keys {
    private static final GlobalStatus[] STATUSES = GlobalStatus.values();
    private static final byte OTHER = 0;
    private static final byte BEGAN = 1;
    private static final byte BRANCH_REGISTERED = 2;
    private static final byte STATUS = 3;

    private final long[] origins;
    private final long[] sequences;
    private final byte[] kinds;
    /** Transaction id (began), branch id (registered), status ordinal (status). */
    private final long[] numbers;
    /** XID prefix number (began), 1 if the caller awaits the outcome (status). */
    private final int[] extras;

    private final Object[] others;
    /** XID prefixes ({@code host:port}) seen in began answers; a handful per cluster, never forgotten. */
    private final List<String> prefixes = new ArrayList<>();

    private final Map<String, Integer> prefixNumbers = new HashMap<>();
    private int lastPrefix = -1;
    private final SlotIndex index;

    Deduplicator(int capacity) {
        this.origins = new long[capacity];
        this.sequences = new long[capacity];
        this.kinds = new byte[capacity];
        this.numbers = new long[capacity];
        this.extras = new int[capacity];
        this.others = new Object[capacity];
        this.index = new SlotIndex(capacity, this);
    }

    Result answerOf(RequestId id) {
        int slot = index.find(hash(id.origin(), id.sequence()), id.origin(), id.sequence());
        return slot < 0 ? null : decode(slot, kinds, numbers, extras, others, prefixes);
    }

    void remember(RequestId id, Result result) {
        long hash = hash(id.origin(), id.sequence());
        int slot = index.find(hash, id.origin(), id.sequence());
        if (slot >= 0) {
            encode(slot, result); // as a map's put: the answer changes, the order does not
            return;
        }
        slot = index.claim();
        origins[slot] = id.origin();
        sequences[slot] = id.sequence();
        encode(slot, result);
        index.add(hash, slot);
    }

    /** A copy of the contents as an unmodifiable map, oldest first; answers are rebuilt when it is iterated. */
    Map<RequestId, Result> freeze() {
        int size = index.size();
        long[] o = Arrays.copyOf(origins, size);
        long[] s = Arrays.copyOf(sequences, size);
        byte[] k = Arrays.copyOf(kinds, size);
        long[] n = Arrays.copyOf(numbers, size);
        int[] e = Arrays.copyOf(extras, size);
        Object[] x = Arrays.copyOf(others, size);
        List<String> p = List.copyOf(prefixes);
        return new FrozenRing<>(
                size, index.oldest(), slot -> Map.entry(new RequestId(o[slot], s[slot]), decode(slot, k, n, e, x, p)));
    }

    private void encode(int slot, Result result) {
        others[slot] = null;
        long txId = result instanceof Result.Began b ? Xids.transactionId(b.xid()) : -1;
        int prefix = txId > 0 ? prefixNumberOf(((Result.Began) result).xid()) : -1;
        if (prefix >= 0) {
            kinds[slot] = BEGAN;
            numbers[slot] = txId;
            extras[slot] = prefix;
        } else if (result instanceof Result.BranchRegistered r) {
            kinds[slot] = BRANCH_REGISTERED;
            numbers[slot] = r.branchId();
        } else if (result instanceof Result.Status st && st.status() != null) {
            kinds[slot] = STATUS;
            numbers[slot] = st.status().ordinal();
            extras[slot] = st.awaitOutcome() ? 1 : 0;
        } else {
            kinds[slot] = OTHER;
            others[slot] = result;
        }
    }

    private static Result decode(
            int slot, byte[] kinds, long[] numbers, int[] extras, Object[] others, List<String> prefixes) {
        return switch (kinds[slot]) {
            case BEGAN -> new Result.Began(prefixes.get(extras[slot]) + ":" + numbers[slot]);
            case BRANCH_REGISTERED -> new Result.BranchRegistered(numbers[slot]);
            case STATUS -> new Result.Status(STATUSES[(int) numbers[slot]], extras[slot] == 1);
            default -> (Result) others[slot];
        };
    }

    /**
     * The number of the prefix of an XID that ends in a valid transaction id (registered on first sight), or -1 if
     * the XID is not exactly {@code prefix:transactionId} (then the answer is kept as it is).
     */
    private int prefixNumberOf(String xid) {
        int colon = xid.lastIndexOf(':');
        char first = xid.charAt(colon + 1);
        if (first < '1' || first > '9') {
            return -1; // "+5" or "05": not what the number prints as
        }
        if (lastPrefix >= 0 && colon == prefixes.get(lastPrefix).length() && xid.startsWith(prefixes.get(lastPrefix))) {
            return lastPrefix;
        }
        String prefix = xid.substring(0, colon);
        Integer known = prefixNumbers.get(prefix);
        if (known == null) {
            known = prefixes.size();
            prefixes.add(prefix);
            prefixNumbers.put(prefix, known);
        }
        lastPrefix = known;
        return known;
    }

    private static long hash(long origin, long sequence) {
        return origin * 31 + sequence;
    }

    @Override
    public long hashOf(int slot) {
        return hash(origins[slot], sequences[slot]);
    }

    @Override
    public boolean matches(int slot, long k1, long k2) {
        return origins[slot] == k1 && sequences[slot] == k2;
    }
}
