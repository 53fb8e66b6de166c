package io.arbiter.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.model.BranchType;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import io.arbiter.core.view.BranchView;
import io.arbiter.core.view.ContendedRow;
import io.arbiter.core.view.ContendedTable;
import io.arbiter.core.view.LockFilter;
import io.arbiter.core.view.LockView;
import io.arbiter.core.view.TransactionFilter;
import io.arbiter.core.view.TransactionView;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's commands and answers: new kinds that round-trip, with one layout pinned. */
class OperatorCommandCodecTest {
    @Test
    void everyOperatorCommandRoundTrips() {
        List<Command> commands = List.of(
                new Command.StopRetry("h:1:42", 0),
                new Command.StopRetry("h:1:42", 43),
                new Command.StartRetry("h:1:42", 43, 5),
                new Command.RetryNow("h:1:42", 6),
                new Command.DeleteTransaction("h:1:42", true, 7),
                new Command.DeleteBranch("h:1:42", 43, false, 8),
                new Command.DeleteLock("h:1:42", 0, "r^^^t^^^1"),
                new Command.ListTransactions(new TransactionFilter("h", null, 19, "n", 1, 2, true), 20),
                new Command.ListTransactions(TransactionFilter.ALL, 0),
                new Command.ListLocks(new LockFilter("x", "1", "2", "r", "t", "p", 3, 4), 50),
                new Command.ListContention(10));
        for (Command c : commands) {
            Proposal p = new Proposal(new RequestId(1, 2), c);
            assertThat(CommandCodec.decode(CommandCodec.encode(p))).isEqualTo(p);
        }
    }

    @Test
    void theStopRetryLayoutIsPinned() {
        // version 1, no request id, kind 17, xid "h:1:42", branch id 0
        assertThat(HexFormat.of().formatHex(CommandCodec.encode(new Command.StopRetry("h:1:42", 0))))
                .isEqualTo("010011" + "00000006683a313a3432" + "0000000000000000");
    }

    @Test
    void everyConsoleAnswerRoundTrips() {
        TransactionView tx = new TransactionView(
                "h:1:42",
                42,
                19,
                "app",
                "grp",
                "name",
                60_000,
                1_000,
                List.of(new BranchView(43, BranchType.AT, "jdbc:pg", 14, "c:1", null, "t:1")));
        List<Result> results = List.of(
                new Result.Transactions(7, List.of(tx)),
                new Result.Locks(3, List.of(LockView.of("h:1:42", 42, 43, "jdbc:pg^^^t^^^1", 1_000))),
                new Result.Contention(
                        List.of(new ContendedTable("jdbc:pg", "t", 9)),
                        List.of(
                                new ContendedRow("jdbc:pg^^^t^^^1", 9, "h:1:42", 1_000),
                                new ContendedRow("jdbc:pg^^^t^^^2", 1, null, 0))));
        for (Result r : results) {
            assertThat(ResultCodec.decode(ResultCodec.encode(r))).isEqualTo(r);
        }
    }
}
