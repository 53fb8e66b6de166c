package io.arbiter.core;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * An unmodifiable map over a copy of a ring's slots, oldest first: {@code entryAt} decodes the slot's entry when it
 * is iterated (on whichever thread writes the snapshot), so freezing costs only the array copies.
 *
 * <p>Threading: immutable once built.
 */
final class FrozenRing<K, V> extends AbstractMap<K, V> {
    private final int size;
    private final int oldest;
    private final IntFunction<Map.Entry<K, V>> entryAt;

    /**
     * @param size    slots in use (the copies are this long)
     * @param oldest  slot of the oldest entry
     * @param entryAt the entry of a slot of the copies
     */
    FrozenRing(int size, int oldest, IntFunction<Map.Entry<K, V>> entryAt) {
        this.size = size;
        this.oldest = oldest;
        this.entryAt = entryAt;
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < size;
                    }

                    @Override
                    public Map.Entry<K, V> next() {
                        if (i >= size) {
                            throw new NoSuchElementException();
                        }
                        return entryAt.apply((oldest + i++) % size);
                    }
                };
            }
        };
    }
}
