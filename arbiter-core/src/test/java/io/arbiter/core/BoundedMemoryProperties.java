package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.RequestId;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The ring-and-index tables ({@link Deduplicator}, {@link EndedTransactions}) against a bounded
 * {@code LinkedHashMap} (the previous implementation): same answers, same contents, same order, whatever the mix of
 * new keys, repeated keys and evictions. Small key spaces force hash collisions, overwrites and wrap-arounds.
 */
class BoundedMemoryProperties {

    @Property(tries = 300)
    void endedTransactionsBehaveAsABoundedInsertionOrderedMap(
            @ForAll @IntRange(min = 1, max = 40) int capacity,
            @ForAll @Size(max = 400) List<@IntRange(min = 1, max = 90) Integer> ids,
            @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 17) Integer> statuses) {
        EndedTransactions ended = new EndedTransactions(capacity);
        Map<Long, GlobalStatus> model = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            GlobalStatus status = GlobalStatus.values()[statuses.isEmpty() ? 0 : statuses.get(i % statuses.size())];
            ended.remember(id, status);
            put(model, id, status, capacity);
            for (long probe = 1; probe <= 90; probe += 7) {
                assertThat(ended.statusOf(probe))
                        .as("status of %d after %d steps", probe, i + 1)
                        .isEqualTo(model.get(probe));
            }
        }
        assertThat(new ArrayList<>(ended.freeze().entrySet())).containsExactlyElementsOf(model.entrySet());
        for (long id = 1; id <= 90; id++) {
            assertThat(ended.statusOf(id)).isEqualTo(model.get(id));
        }
    }

    @Property(tries = 300)
    void deduplicatorBehavesAsABoundedInsertionOrderedMap(
            @ForAll @IntRange(min = 1, max = 40) int capacity,
            @ForAll @Size(max = 300) List<@From("steps") Step> steps) {
        Deduplicator dedup = new Deduplicator(capacity);
        Map<RequestId, Result> model = new LinkedHashMap<>();
        for (Step step : steps) {
            dedup.remember(step.id(), step.result());
            put(model, step.id(), step.result(), capacity);
            assertThat(dedup.answerOf(step.id())).isEqualTo(step.result());
        }
        for (Step step : steps) {
            assertThat(dedup.answerOf(step.id())).as("answer of %s", step.id()).isEqualTo(model.get(step.id()));
        }
        Map<RequestId, Result> frozen = dedup.freeze();
        assertThat(new ArrayList<>(frozen.entrySet())).containsExactlyElementsOf(model.entrySet());
        Deduplicator restored = new Deduplicator(capacity);
        frozen.forEach(restored::remember);
        assertThat(new ArrayList<>(restored.freeze().entrySet())).containsExactlyElementsOf(model.entrySet());
    }

    record Step(RequestId id, Result result) {}

    @Provide
    Arbitrary<Step> steps() {
        Arbitrary<RequestId> ids = Combinators.combine(
                        Arbitraries.longs().between(-2, 2), Arbitraries.longs().between(1, 30))
                .as(RequestId::new);
        Arbitrary<Result> results = Arbitraries.oneOf(
                Combinators.combine(
                                Arbitraries.of("10.0.0.1:8091", "10.0.0.2:8091", "h:1"),
                                Arbitraries.longs().between(1, 1L << 50))
                        .as((p, n) -> new Result.Began(p + ":" + n)),
                Arbitraries.of("h:01", "h:+5", "h:", "nocolon").map(Result.Began::new),
                Arbitraries.longs().between(1, 1L << 50).map(Result.BranchRegistered::new),
                Combinators.combine(Arbitraries.of(GlobalStatus.class), Arbitraries.of(true, false))
                        .as(Result.Status::new),
                Arbitraries.just(Result.Done.INSTANCE),
                Arbitraries.of(ErrorCode.class).map(c -> new Result.Rejected(c, "no: " + c, GlobalStatus.Begin)));
        return Combinators.combine(ids, results).as(Step::new);
    }

    private static <K, V> void put(Map<K, V> model, K key, V value, int capacity) {
        model.put(key, value);
        if (model.size() > capacity) {
            var oldest = model.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }
}
