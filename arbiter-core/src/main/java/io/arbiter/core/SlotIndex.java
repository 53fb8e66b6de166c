package io.arbiter.core;

/**
 * A fixed-size ring of slots (oldest overwritten first) with a hash index from keys to slots, in one {@code int[]}: open addressing with linear
 * probing and backward-shift deletion, so that a table of 100,000 remembered entries is a few arrays the garbage
 * collector never has to walk or copy entry by entry (a {@code LinkedHashMap} of the same size kept about six
 * objects per entry alive for tens of seconds, which every young collection copied). The keys themselves stay in
 * the owner's arrays; the index asks the owner for them.
 *
 * <p>Threading: not thread-safe; the owner's thread only.
 */
final class SlotIndex {

    /** The owner's keys, by slot; a key is up to two longs. */
    interface Keys {
        long hashOf(int slot);

        boolean matches(int slot, long k1, long k2);
    }

    private final int[] table; // slot + 1; 0 is empty
    private final int mask;
    private final Keys keys;
    private final int capacity;
    /** The slot the next entry goes to; when the ring is full, the oldest entry's. */
    private int next;

    private int size;

    /** An index for up to {@code capacity} slots (the table is at least twice that, a power of two). */
    SlotIndex(int capacity, Keys keys) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("capacity out of range: " + capacity);
        }
        int size = Integer.highestOneBit(2 * capacity - 1) << 1;
        this.table = new int[size];
        this.mask = size - 1;
        this.keys = keys;
        this.capacity = capacity;
    }

    /**
     * The slot for a new entry: the next free one, or, when the ring is full, the oldest one, whose key is removed
     * from the index first (the owner's arrays must still hold it). The owner then writes the new key and calls
     * {@link #add}.
     */
    int claim() {
        int slot = next;
        if (size == capacity) {
            remove(keys.hashOf(slot), slot);
        } else {
            size++;
        }
        next = slot + 1 == capacity ? 0 : slot + 1;
        return slot;
    }

    /** Slots in use (0..size-1 until the ring is full). */
    int size() {
        return size;
    }

    /** The slot of the oldest entry. */
    int oldest() {
        return size == capacity ? next : 0;
    }

    /** The slot holding the key, or -1. */
    int find(long hash, long k1, long k2) {
        for (int i = home(hash); ; i = (i + 1) & mask) {
            int s = table[i];
            if (s == 0) {
                return -1;
            }
            if (keys.matches(s - 1, k1, k2)) {
                return s - 1;
            }
        }
    }

    /** Indexes {@code slot} under {@code hash}; the key must not be indexed already. */
    void add(long hash, int slot) {
        int i = home(hash);
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
    }

    /** Removes {@code slot}, indexed under {@code hash}, and closes the gap so that later probes still succeed. */
    void remove(long hash, int slot) {
        int gap = home(hash);
        while (table[gap] != slot + 1) {
            if (table[gap] == 0) {
                throw new IllegalStateException("slot " + slot + " is not indexed");
            }
            gap = (gap + 1) & mask;
        }
        for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = home(keys.hashOf(table[j] - 1));
            // the entry at j may fill the gap if the gap lies on its probe path, i.e. between its home and j
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                table[gap] = table[j];
                gap = j;
            }
        }
        table[gap] = 0;
    }

    private int home(long hash) {
        long h = hash * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
