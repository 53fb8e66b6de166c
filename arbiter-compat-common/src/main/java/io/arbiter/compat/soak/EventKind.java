package io.arbiter.compat.soak;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The faults the soak injects, each named by the word that selects it in {@code chaos.soak.events}. */
public enum EventKind {
    /** kill -9 of a random node, down for a while under load, restarted on its data. */
    KILL("kill"),
    /** The leadership of a random fragment moved to another of its replicas. */
    TRANSFER("transfer"),
    /** A follower replica of a random fragment removed, then added back at once. */
    MOVE("move"),
    /** A random node drained until it holds nothing (placement moves its replicas away), then undrained. */
    DRAIN("drain"),
    /** One random node cut off from the others for a while (network namespaces: root only). */
    PARTITION("partition");

    private final String word;

    EventKind(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The kinds named in a comma-separated list ({@code "kill,transfer"}); {@code "all"} for every kind. */
    public static Set<EventKind> parse(String list) {
        Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);
        for (String w : list.split(",")) {
            String word = w.trim().toLowerCase(Locale.ROOT);
            if (word.isEmpty()) {
                continue;
            }
            if (word.equals("all")) {
                return EnumSet.allOf(EventKind.class);
            }
            kinds.add(Arrays.stream(values())
                    .filter(k -> k.word.equals(word))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("chaos.soak.events: unknown event '" + w
                            + "' (kill, transfer, move, drain, partition, all)")));
        }
        return kinds;
    }
}
