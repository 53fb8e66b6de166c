package io.arbiter.server.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.placement.Operator;
import io.arbiter.placement.OperatorExecutor;
import io.arbiter.placement.Step;
import io.arbiter.server.meta.MetaCommand;
import io.arbiter.server.meta.OperatorRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Ended operators go to the meta group once each (again after a failed proposal), and what is shown merges the runs
 * of this node with the history its predecessors left, running first, then ended newest first.
 */
class OperatorHistoryTest {
    private final List<MetaCommand.RecordOperators> proposed = new ArrayList<>();
    private final List<OperatorRecord> kept = new ArrayList<>();
    private boolean failNext;

    private final OperatorHistory history = new OperatorHistory(
            "n1",
            command -> {
                proposed.add((MetaCommand.RecordOperators) command);
                if (failNext) {
                    failNext = false;
                    return CompletableFuture.failedFuture(new IllegalStateException("no meta leader"));
                }
                return CompletableFuture.completedFuture(7L);
            },
            () -> List.copyOf(kept));

    private static OperatorExecutor.Run run(long id, OperatorExecutor.Outcome outcome, long started, long ended) {
        Operator op = new Operator(Operator.Kind.BALANCE_LEADERS, 2, List.of(new Step.TransferLeader(2, "n2")), "why");
        return new OperatorExecutor.Run(id, op, outcome, started, ended, 1, "");
    }

    @Test
    void endedRunsAreRecordedOnceAndAgainAfterAFailure() {
        OperatorExecutor.Run running = run(2, OperatorExecutor.Outcome.RUNNING, 200, 0);
        OperatorExecutor.Run done = run(1, OperatorExecutor.Outcome.SUCCEEDED, 100, 150);

        failNext = true;
        history.record(List.of(running, done));
        history.record(List.of(running, done));
        history.record(List.of(running, done));

        assertThat(proposed).hasSize(2);
        assertThat(proposed.get(1).records()).singleElement().satisfies(r -> {
            assertThat(r.by()).isEqualTo("n1");
            assertThat(r.id()).isEqualTo(1);
            assertThat(r.outcome()).isEqualTo("SUCCEEDED");
            assertThat(r.kind()).isEqualTo("BALANCE_LEADERS");
        });
    }

    @Test
    void shownListsRunningThenEndedNewestFirstWithoutDuplicates() {
        OperatorExecutor.Run running = run(3, OperatorExecutor.Outcome.RUNNING, 500, 0);
        OperatorExecutor.Run mine = run(2, OperatorExecutor.Outcome.FAILED, 300, 400);
        history.record(List.of(mine));
        kept.addAll(proposed.get(0).records()); // the meta group applied it
        kept.add(new OperatorRecord("n0", 9, "REPAIR", 1, List.of(), "", "SUCCEEDED", 1, 10, 450, ""));
        kept.add(new OperatorRecord("n0", 8, "REPAIR", 1, List.of(), "", "CANCELLED", 0, 5, 20, ""));

        assertThat(history.shown(List.of(running, mine)))
                .extracting(r -> r.by() + "#" + r.id() + ":" + r.outcome())
                .containsExactly("n1#3:RUNNING", "n0#9:SUCCEEDED", "n1#2:FAILED", "n0#8:CANCELLED");
    }
}
