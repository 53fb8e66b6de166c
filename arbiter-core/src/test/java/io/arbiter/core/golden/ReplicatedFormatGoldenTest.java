package io.arbiter.core.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.command.RequestId;
import io.arbiter.core.lock.ForeignHolder;
import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import io.arbiter.core.view.BranchView;
import io.arbiter.core.view.ContendedRow;
import io.arbiter.core.view.ContendedTable;
import io.arbiter.core.view.LockFilter;
import io.arbiter.core.view.LockView;
import io.arbiter.core.view.TransactionFilter;
import io.arbiter.core.view.TransactionView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes for one command and one result of every kind, as the Raft log holds them
 * ({@code src/test/resources/golden/commands-v1.txt}, {@code results-v1.txt}): each sample must encode to exactly the
 * pinned bytes and the pinned bytes must decode to the sample, so a change of the format fails here until it gets a
 * new version (and a new file). A kind added to {@link Command} or {@link Result} fails here until it has a vector.
 */
public class ReplicatedFormatGoldenTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String XID = "10.0.0.1:8091:562949953421319";
    private static final ForeignHolder HOLDER = new ForeignHolder(
            7, XID, 1_700_000_000_000L, new java.util.LinkedHashMap<>(Map.of("jdbc:pg/db^^^stock^^^2", 99L)));

    public static Map<String, Proposal> commands() {
        Map<String, Proposal> m = new LinkedHashMap<>();
        RequestId id = new RequestId(0x0102030405060708L, 42);
        put(m, id, new Command.Begin("10.0.0.1:8091", "app", "grp", "order", 60_000, 1_700_000_000_000L));
        put(
                m,
                id,
                new Command.RegisterBranch(
                        XID,
                        BranchType.AT,
                        "jdbc:pg/db",
                        "stock:1,2",
                        "{}",
                        "10.0.0.9:41000",
                        1_700_000_000_001L,
                        List.of(3),
                        List.of("jdbc:pg/db^^^stock^^^2")));
        put(m, null, new Command.AcquireLocks(7, XID, "jdbc:pg/db", List.of("jdbc:pg/db^^^stock^^^2"), 5));
        put(m, null, new Command.ReleaseLocks(7, List.of("jdbc:pg/db^^^stock^^^2")));
        // the forms naming a register attempt (a kind of their own on the wire)
        m.put(
                "AcquireLocks+attempt",
                new Proposal(
                        null,
                        new Command.AcquireLocks(7, XID, "jdbc:pg/db", List.of("jdbc:pg/db^^^stock^^^2"), 5, 99)));
        m.put(
                "ReleaseLocks+attempt",
                new Proposal(null, new Command.ReleaseLocks(7, List.of("jdbc:pg/db^^^stock^^^2"), 99)));
        put(m, null, new Command.QueryAlive(List.of(7L, 8L)));
        put(m, null, new Command.ListForeignHolders(1_700_000_000_000L));
        put(m, null, new Command.HandOverLocks());
        put(m, null, new Command.AdoptLocks(List.of(HOLDER)));
        java.util.BitSet slots = new java.util.BitSet();
        slots.set(0, 3);
        slots.set(40);
        put(m, id, new Command.FenceAndList(0, 5, slots));
        put(m, null, new Command.RebuildLocks(5, List.of(HOLDER)));
        put(
                m,
                null,
                new Command.LockBatch(List.of(
                        new Command.AcquireLocks(
                                7, XID, "jdbc:pg/db", List.of("jdbc:pg/db^^^stock^^^2"), 1_700_000_000_000L, 9),
                        new Command.ReleaseLocks(8, List.of()))));
        // rows granted from a lock leader's memory (a kind of its own on the wire)
        m.put(
                "RegisterBranch+grants",
                new Proposal(
                        id,
                        new Command.RegisterBranch(
                                XID,
                                BranchType.AT,
                                "jdbc:pg/db",
                                "stock:1,2",
                                "{}",
                                "10.0.0.9:41000",
                                1_700_000_000_001L,
                                List.of(0),
                                List.of("jdbc:pg/db^^^stock^^^1", "jdbc:pg/db^^^stock^^^2"),
                                List.of(5L))));
        put(m, id, new Command.ReportBranch(XID, 11, BranchStatus.PhaseOne_Done, "data"));
        put(m, id, new Command.Commit(XID, 1_700_000_000_002L));
        put(m, id, new Command.Rollback(XID, 1_700_000_000_003L));
        put(m, id, new Command.ReportGlobal(XID, GlobalStatus.Committed, 1_700_000_000_004L));
        put(m, null, new Command.QueryStatus(XID));
        put(m, null, new Command.QueryLock(XID, "jdbc:pg/db", "stock:1"));
        put(m, null, new Command.BranchOutcome(XID, 11, true, BranchStatus.PhaseTwo_Committed, 6));
        put(m, null, new Command.Tick(1_700_000_000_005L));
        put(m, null, new Command.Resume(1_700_000_000_006L));
        put(m, id, new Command.StopRetry(XID, 11));
        put(m, id, new Command.StartRetry(XID, -1, 7));
        put(m, id, new Command.RetryNow(XID, 8));
        put(m, id, new Command.DeleteTransaction(XID, true, 9));
        put(m, id, new Command.DeleteBranch(XID, 11, false, 10));
        put(m, id, new Command.DeleteLock(XID, 11, "jdbc:pg/db^^^stock^^^1"));
        put(m, null, new Command.ListTransactions(new TransactionFilter(XID, "app", 3, "order", 1, 2, true), 50));
        put(m, null, new Command.ListLocks(new LockFilter(XID, "7", "11", "jdbc:pg/db", "stock", "1", 3, 4), 20));
        put(m, null, new Command.ListContention(10));
        return m;
    }

    private static void put(Map<String, Proposal> m, RequestId id, Command c) {
        m.put(c.getClass().getSimpleName(), new Proposal(id, c));
    }

    public static Map<String, Result> results() {
        Map<String, Result> m = new LinkedHashMap<>();
        BranchView branch = new BranchView(11, BranchType.TCC, "tcc-action", 5, "10.0.0.9:41000", "{}", null);
        List<Result> all = List.of(
                new Result.Began(XID),
                new Result.BranchRegistered(11),
                new Result.Status(GlobalStatus.Committing, true),
                new Result.Lockable(true),
                Result.Done.INSTANCE,
                new Result.LocksTaken(List.of("jdbc:pg/db^^^stock^^^2")),
                new Result.Liveness(List.of(7L)),
                new Result.Holders(List.of(7L, 9L)),
                new Result.ForeignLocks(List.of(HOLDER)),
                new Result.Transactions(
                        3,
                        List.of(new TransactionView(
                                XID, 7, 1, "app", "grp", "order", 60_000, 1_700_000_000_000L, List.of(branch)))),
                new Result.Locks(1, List.of(LockView.of(XID, 7, 11, "jdbc:pg/db^^^stock^^^1", 1_700_000_000_000L))),
                new Result.Contention(
                        List.of(new ContendedTable("jdbc:pg/db", "stock", 4)),
                        List.of(new ContendedRow("jdbc:pg/db^^^stock^^^1", 4, XID, 1_700_000_000_000L))),
                new Result.Rejected(ErrorCode.LockKeyConflict, "held by another", GlobalStatus.Begin));
        all.forEach(r -> m.put(r.getClass().getSimpleName(), r));
        m.put("LocksTaken+grant", new Result.LocksTaken(List.of("jdbc:pg/db^^^stock^^^2"), 5));
        m.put(
                "Batch",
                new Result.Batch(
                        List.of(new Result.LocksTaken(List.of("jdbc:pg/db^^^stock^^^2"), 5), Result.Done.INSTANCE)));
        return m;
    }

    static Map<String, String> golden(String resource) throws IOException {
        try (InputStream in = ReplicatedFormatGoldenTest.class.getResourceAsStream("/golden/" + resource)) {
            assertThat(in).as("resource golden/%s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split(" ", 2))
                    .collect(Collectors.toMap(p -> p[0], p -> p[1].trim(), (a, b) -> a, LinkedHashMap::new));
        }
    }

    /** The records a sealed type permits, through sealed sub-interfaces ({@code Command.Read}) too. */
    private static Set<String> kinds(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses())
                .flatMap(c -> c.isSealed() ? kinds(c).stream() : java.util.stream.Stream.of(c.getSimpleName()))
                .collect(Collectors.toSet());
    }

    @Test
    void everyCommandKindHasPinnedBytes() throws IOException {
        Map<String, String> golden = golden("commands-v1.txt");
        assertThat(commands().keySet().stream()
                        .map(k -> k.replaceFirst("\\+.*", ""))
                        .collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(kinds(Command.class));
        assertThat(golden.keySet())
                .containsExactlyInAnyOrderElementsOf(commands().keySet());
        commands().forEach((kind, proposal) -> {
            assertThat(HEX.formatHex(CommandCodec.encode(proposal))).as(kind).isEqualTo(golden.get(kind));
            assertThat(CommandCodec.decode(HEX.parseHex(golden.get(kind))))
                    .as(kind)
                    .isEqualTo(proposal);
        });
    }

    @Test
    void everyResultKindHasPinnedBytes() throws IOException {
        Map<String, String> golden = golden("results-v1.txt");
        assertThat(results().keySet().stream()
                        .map(k -> k.replaceFirst("\\+.*", ""))
                        .collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(kinds(Result.class));
        assertThat(golden.keySet())
                .containsExactlyInAnyOrderElementsOf(results().keySet());
        results().forEach((kind, result) -> {
            assertThat(HEX.formatHex(ResultCodec.encode(result))).as(kind).isEqualTo(golden.get(kind));
            assertThat(ResultCodec.decode(HEX.parseHex(golden.get(kind))))
                    .as(kind)
                    .isEqualTo(result);
        });
    }

    /** Prints the vector files from the current encoders (only when a format gets a new version). */
    public static void main(String[] args) {
        System.out.println("# commands as CommandCodec v1 writes them: kind hex");
        commands().forEach((k, p) -> System.out.println(k + " " + HEX.formatHex(CommandCodec.encode(p))));
        System.out.println("# results as ResultCodec writes them: kind hex");
        results().forEach((k, r) -> System.out.println(k + " " + HEX.formatHex(ResultCodec.encode(r))));
    }
}
