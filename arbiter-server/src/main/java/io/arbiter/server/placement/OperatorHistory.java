package io.arbiter.server.placement;

import io.arbiter.placement.OperatorExecutor;
import io.arbiter.server.meta.MetaCommand;
import io.arbiter.server.meta.OperatorRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement operators shown to operators: those this node runs now, and those that ended anywhere, kept in the
 * meta group ({@link MetaCommand.RecordOperators}) so that a new meta leader still shows what its predecessors did.
 * Ended runs are recorded once each; a proposal that fails is made again on the next round.
 *
 * <p>Threading: {@link #record} on the placement loop's thread; {@link #shown} from any thread.
 */
final class OperatorHistory {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorHistory.class);

    private final String self;
    private final Function<MetaCommand, CompletableFuture<Long>> meta;
    private final Supplier<List<OperatorRecord>> kept;
    /** Runs of this node proposed for the history (or in it), as "id@started". */
    private final Set<String> proposed = ConcurrentHashMap.newKeySet();

    /**
     * @param meta proposes a command to the meta group (through its leader)
     * @param kept the history as this node's meta replica holds it (empty without one)
     */
    OperatorHistory(
            String self, Function<MetaCommand, CompletableFuture<Long>> meta, Supplier<List<OperatorRecord>> kept) {
        this.self = self;
        this.meta = meta;
        this.kept = kept;
    }

    /** Proposes the runs among {@code runs} that ended and are not recorded yet. */
    void record(List<OperatorExecutor.Run> runs) {
        List<OperatorRecord> fresh = new ArrayList<>();
        for (OperatorExecutor.Run run : runs) {
            if (run.outcome() != OperatorExecutor.Outcome.RUNNING && proposed.add(key(run))) {
                fresh.add(of(run));
            }
        }
        // the executor keeps the last runs only: a run it forgot is never offered again
        proposed.retainAll(runs.stream().map(OperatorHistory::key).toList());
        if (fresh.isEmpty()) {
            return;
        }
        meta.apply(new MetaCommand.RecordOperators(fresh)).whenComplete((epoch, e) -> {
            if (e != null) {
                LOG.debug("could not record {} placement operators; next round tries again", fresh.size(), e);
                fresh.forEach(r -> proposed.remove(key(r.id(), r.startedMs())));
            }
        });
    }

    /**
     * What {@code GET /api/v1/cluster} shows: {@code runs} of this node (running first), then the kept history
     * without the runs already listed, ended ones newest first.
     */
    List<OperatorRecord> shown(List<OperatorExecutor.Run> runs) {
        List<OperatorRecord> running = new ArrayList<>();
        List<OperatorRecord> ended = new ArrayList<>();
        for (OperatorExecutor.Run run : runs) {
            (run.outcome() == OperatorExecutor.Outcome.RUNNING ? running : ended).add(of(run));
        }
        for (OperatorRecord r : kept.get()) {
            if (ended.stream().noneMatch(r::sameRun)) {
                ended.add(r);
            }
        }
        ended.sort(Comparator.comparingLong(OperatorRecord::endedMs).reversed());
        running.addAll(ended);
        return running;
    }

    private OperatorRecord of(OperatorExecutor.Run run) {
        return new OperatorRecord(
                self,
                run.id(),
                run.operator().kind().name(),
                run.operator().fragment(),
                run.operator().steps().stream().map(Object::toString).toList(),
                run.operator().reason(),
                run.outcome().name(),
                run.stepsDone(),
                run.startedMs(),
                run.endedMs(),
                run.detail());
    }

    private static String key(OperatorExecutor.Run run) {
        return key(run.id(), run.startedMs());
    }

    private static String key(long id, long startedMs) {
        return id + "@" + startedMs;
    }
}
