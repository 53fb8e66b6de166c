package io.arbiter.server.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BeginPlacementTest {
    private final BeginPlacement placement = new BeginPlacement();
    private final Map<Integer, Integer> inFlight = new HashMap<>();
    private final List<Integer> led = List.of(0, 3, 5, 6);

    private int choose(long now) {
        return placement.choose(led, id -> inFlight.getOrDefault(id, 0), now);
    }

    @Test
    void slowBeginsAlternateOverEveryLedFragment() {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            chosen.add(choose(i * 30L));
        }
        assertThat(chosen).containsExactly(0, 3, 5, 6, 0, 3, 5, 6);
    }

    @Test
    void aBurstBelowTheThresholdStillAlternates() {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < BeginPlacement.BUSY_BEGINS - 1; i++) {
            chosen.add(choose(1_000));
        }
        assertThat(chosen).containsOnly(0, 3, 5, 6);
        assertThat(chosen.subList(0, 4)).containsExactly(0, 3, 5, 6);
    }

    @Test
    void underLoadOneFragmentTakesTheBeginsAndHandsOverEveryTurn() {
        long now = 10_000;
        List<Integer> perTurn = new ArrayList<>();
        for (int turn = 0; turn < 6; turn++) {
            List<Integer> chosen = new ArrayList<>();
            for (int ms = 0; ms < BeginPlacement.TURN_MS; ms++) {
                chosen.add(choose(now + ms));
            }
            now += BeginPlacement.TURN_MS;
            // after the first window (alternating while the rate is judged) one fragment takes every begin
            List<Integer> settled = chosen.subList(BeginPlacement.BUSY_BEGINS, chosen.size());
            assertThat(settled.stream().distinct().count()).as("turn %d", turn).isEqualTo(1L);
            perTurn.add(settled.get(0));
        }
        assertThat(perTurn).containsSubsequence(3, 5, 6, 0);
    }

    @Test
    void aFullFragmentSpillsToTheNextWithRoom() {
        long now = 50_000;
        for (int i = 0; i < 2 * BeginPlacement.BUSY_BEGINS; i++) {
            choose(now);
        }
        int inUse = choose(now);
        inFlight.put(inUse, BeginPlacement.SPILL_IN_FLIGHT);
        int next = choose(now + 1);
        assertThat(next).isNotEqualTo(inUse);
        inFlight.put(next, BeginPlacement.SPILL_IN_FLIGHT + 5);
        int third = choose(now + 2);
        assertThat(third).isNotIn(inUse, next);
        for (int id : led) {
            inFlight.put(id, BeginPlacement.SPILL_IN_FLIGHT + id);
        }
        assertThat(choose(now + 3)).as("all full: the least loaded").isEqualTo(0);
    }

    @Test
    void aFragmentNoLongerLedHereIsLeft() {
        long now = 90_000;
        for (int i = 0; i < 2 * BeginPlacement.BUSY_BEGINS; i++) {
            choose(now);
        }
        int inUse = choose(now);
        List<Integer> fewer = new ArrayList<>(led);
        fewer.remove(Integer.valueOf(inUse));
        assertThat(placement.choose(fewer, id -> 0, now + 1)).isIn(fewer);
    }

    @Test
    void theRateIsForgottenAfterAQuietWindow() {
        long now = 200_000;
        for (int i = 0; i < 3 * BeginPlacement.BUSY_BEGINS; i++) {
            choose(now);
        }
        long later = now + 5 * BeginPlacement.WINDOW_MS;
        assertThat(List.of(choose(later), choose(later + 1), choose(later + 2), choose(later + 3)))
                .containsExactlyInAnyOrder(0, 3, 5, 6);
    }
}
