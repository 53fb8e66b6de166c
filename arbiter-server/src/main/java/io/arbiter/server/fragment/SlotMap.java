package io.arbiter.server.fragment;

import io.arbiter.core.lock.LockTable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;

/**
 * Which fragment owns each of the {@value LockTable#SLOTS} lock slots: a row lock lives in the fragment that owns
 * its slot ({@link LockTable#slotOf}), whatever fragment its transaction belongs to. Immutable.
 */
public final class SlotMap {
    private final int[] owners;

    private SlotMap(int[] owners) {
        this.owners = owners;
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
        return new SlotMap(owners);
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
