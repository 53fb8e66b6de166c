package io.arbiter.server.fragment;

import io.arbiter.core.lock.LockTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which fragment owns each of the {@value LockTable#SLOTS} lock slots: a row lock lives in the fragment that owns
 * its slot ({@link LockTable#slotOf}), whatever fragment its transaction belongs to. Immutable.
 */
public final class SlotMap {
    private final int[] owners;
    private final List<Integer> spreadOver;

    private SlotMap(int[] owners, List<Integer> spreadOver) {
        this.owners = owners;
        this.spreadOver = List.copyOf(spreadOver);
    }

    /**
     * The fragments the slots are dealt over, in dealing order (the map's whole content); a fragment that took over
     * another's slots is named in its places too.
     */
    public List<Integer> spreadOver() {
        return spreadOver;
    }

    /** Whether fragment {@code id} owns any slot. */
    public boolean owns(int id) {
        return spreadOver.contains(id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotMap other && other.spreadOver.equals(spreadOver);
    }

    @Override
    public int hashCode() {
        return spreadOver.hashCode();
    }

    /** Slots dealt round-robin over {@code fragments} (slot {@code s} to {@code fragments[s % n]}). */
    public static SlotMap spread(List<Integer> fragments) {
        if (fragments.isEmpty()) {
            throw new IllegalArgumentException("slots need at least one fragment");
        }
        int[] owners = new int[LockTable.SLOTS];
        for (int s = 0; s < owners.length; s++) {
            owners[s] = fragments.get(s % fragments.size());
        }
        return new SlotMap(owners, fragments);
    }

    /** How many slots each owning fragment has. */
    public Map<Integer, Integer> slotCounts() {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int owner : owners) {
            counts.merge(owner, 1, Integer::sum);
        }
        return counts;
    }

    /** The slots of fragment {@code from} given to {@code to}; the others keep their owners. */
    public SlotMap moved(int from, int to) {
        return spread(spreadOver.stream().map(f -> f == from ? to : f).toList());
    }

    /** The slots fragment {@code id} owns (empty for a fragment that owns none). */
    public java.util.BitSet slotsOf(int id) {
        java.util.BitSet slots = new java.util.BitSet(owners.length);
        for (int s = 0; s < owners.length; s++) {
            if (owners[s] == id) {
                slots.set(s);
            }
        }
        return slots;
    }

    public int ownerOfSlot(int slot) {
        return owners[slot];
    }

    /** The fragment that holds the lock of a row key ({@code resource^^^table^^^pk}). */
    public int ownerOf(String rowKey) {
        return owners[LockTable.slotOf(rowKey)];
    }

    /** Row keys grouped by owning fragment, in ascending fragment order, each group in the given order. */
    public Map<Integer, List<String>> byOwner(List<String> rowKeys) {
        Map<Integer, List<String>> groups = new TreeMap<>();
        for (String row : rowKeys) {
            groups.computeIfAbsent(ownerOf(row), f -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    /** The distinct owners, ascending. */
    public int[] fragments() {
        return Arrays.stream(owners).distinct().sorted().toArray();
    }
}
