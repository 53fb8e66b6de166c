package io.arbiter.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.core.model.BranchStatus;
import io.arbiter.core.model.BranchType;
import io.arbiter.core.model.GlobalStatus;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The log encoding of commands: bytes written before fragments still decode to the same command and are still
 * written identically; the new commands have pinned bytes (a change fails here until it is versioned); every
 * command round-trips.
 */
class CommandCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Written by the code before remote rows existed (commit 3a6be13). */
    private static final String REGISTER_V1 = "010100000000000000070000000000000009020000001031302e302e302e313a38303931"
            + "3a3432000000000a6a6462633a70672f646200000005743a312c32000000027b7d00000003633a3100000000000004d2";

    private static final String REGISTER_NULLS_V1 =
            "01000200000005683a313a32010000000172ffffffffffffffffffffffff00000000" + "00000005";

    @Test
    void aRegisterWithoutRemoteRowsIsEncodedAsBefore() {
        Proposal register = new Proposal(
                new RequestId(7, 9),
                new Command.RegisterBranch(
                        "10.0.0.1:8091:42", BranchType.AT, "jdbc:pg/db", "t:1,2", "{}", "c:1", 1234));
        assertThat(HEX.formatHex(CommandCodec.encode(register))).isEqualTo(REGISTER_V1);
        assertThat(CommandCodec.decode(HEX.parseHex(REGISTER_V1))).isEqualTo(register);
        Command nulls = new Command.RegisterBranch("h:1:2", BranchType.TCC, "r", null, null, null, 5);
        assertThat(HEX.formatHex(CommandCodec.encode(nulls))).isEqualTo(REGISTER_NULLS_V1);
        Command decoded = CommandCodec.decode(HEX.parseHex(REGISTER_NULLS_V1)).command();
        assertThat(decoded).isEqualTo(nulls);
        assertThat(((Command.RegisterBranch) decoded).remoteFragments()).isEmpty();
        assertThat(((Command.RegisterBranch) decoded).remoteRows()).isEmpty();
        // explicit empty lists are the same command, with the same bytes
        assertThat(CommandCodec.encode(
                        new Command.RegisterBranch("h:1:2", BranchType.TCC, "r", null, null, null, 5, List.of(), null)))
                .isEqualTo(HEX.parseHex(REGISTER_NULLS_V1));
    }

    @Test
    void theNewCommandsHavePinnedBytes() {
        assertGolden(
                new Command.RegisterBranch(
                        "h:1:2", BranchType.AT, "r", "t:1,2", null, "c", 5, List.of(3, 1), List.of("r^^^t^^^2")),
                "01001000000005683a313a3200000000017200000005743a312c32ffffffff00000001630000"
                        + "0000000000050000000200000003000000010000000100000009725e5e5e745e5e5e32");
        assertGolden(
                new Command.AcquireLocks(
                        0x2000000000007L, "h:1:562949953421319", "r", List.of("r^^^t^^^1", "r^^^t^^^\u00e9"), 99),
                "01000c000200000000000700000013683a313a3536323934393935333432"
                        + "3133313900000001720000000200000009725e5e5e745e5e5e310000000a725e5e5e745e5e5ec3a90000000000000063");
        assertGolden(
                new Command.ReleaseLocks(0x2000000000007L, List.of("r^^^t^^^1")),
                "01000d00020000000000070000000100000009725e5e5e745e5e5e31");
        assertGolden(new Command.ReleaseLocks(0x2000000000007L, List.of()), "01000d000200000000000700000000");
        assertGolden(
                new Command.QueryAlive(List.of(1L, 0x2000000000007L)),
                "01000e0000000200000000000000010002000000000007");
        assertGolden(new Command.ListForeignHolders(1_700_000_000_000L), "01000f0000018bcfe56800");
    }

    private static void assertGolden(Command command, String hex) {
        assertThat(HEX.formatHex(CommandCodec.encode(command)))
                .as("%s", command)
                .isEqualTo(hex);
        assertThat(CommandCodec.decode(HEX.parseHex(hex)).command()).isEqualTo(command);
    }

    @Test
    void malformedListsAreRejected() {
        byte[] bytes = CommandCodec.encode(new Command.QueryAlive(List.of(1L)));
        bytes[3] = (byte) 0xff; // the count becomes negative
        assertThatThrownBy(() -> CommandCodec.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
        byte[] truncated = CommandCodec.encode(new Command.ReleaseLocks(5, List.of("a", "b")));
        assertThatThrownBy(() -> CommandCodec.decode(java.util.Arrays.copyOf(truncated, truncated.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void everyCommandRoundTrips(@ForAll("proposals") Proposal proposal) {
        assertThat(CommandCodec.decode(CommandCodec.encode(proposal))).isEqualTo(proposal);
    }

    @Provide
    Arbitrary<Proposal> proposals() {
        Arbitrary<RequestId> ids = Arbitraries.oneOf(
                Arbitraries.just(null),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(RequestId::new));
        return Combinators.combine(ids, commands()).as(Proposal::new);
    }

    /** Any text (UTF-16 without unpaired surrogates, which UTF-8 cannot carry), or null. */
    private static Arbitrary<String> strings() {
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().ofMaxLength(20), rows());
    }

    private static Arbitrary<String> rows() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .withCharRange('\u0000', '\ud7ff')
                        .withCharRange('\ue000', '\uffff')
                        .ofMaxLength(30),
                Arbitraries.of("r^^^t^^^\ud83d\ude00", ""));
    }

    private static Arbitrary<Command> commands() {
        Arbitrary<Long> times = Arbitraries.longs();
        Arbitrary<Command> register = Combinators.combine(
                        strings(),
                        Arbitraries.of(BranchType.class),
                        strings(),
                        strings(),
                        strings(),
                        strings(),
                        times,
                        Arbitraries.integers().between(0, 1 << 15).list().ofMaxSize(4))
                .as((xid, type, res, lock, data, client, now, fragments) ->
                        new Command.RegisterBranch(xid, type, res, lock, data, client, now, fragments, List.of()));
        Arbitrary<Command> registerRemote = Combinators.combine(
                        register, rows().list().ofMaxSize(5))
                .as((r, remote) -> {
                    Command.RegisterBranch c = (Command.RegisterBranch) r;
                    return new Command.RegisterBranch(
                            c.xid(),
                            c.type(),
                            c.resourceId(),
                            c.lockKey(),
                            c.applicationData(),
                            c.clientId(),
                            c.now(),
                            c.remoteFragments(),
                            remote);
                });
        return Arbitraries.oneOf(
                Combinators.combine(strings(), strings(), strings(), strings(), Arbitraries.integers(), times)
                        .as(Command.Begin::new),
                register,
                registerRemote,
                Combinators.combine(strings(), Arbitraries.longs(), Arbitraries.of(BranchStatus.class), strings())
                        .as(Command.ReportBranch::new),
                Combinators.combine(strings(), times).as(Command.Commit::new),
                Combinators.combine(strings(), times).as(Command.Rollback::new),
                Combinators.combine(strings(), Arbitraries.of(GlobalStatus.class), times)
                        .as(Command.ReportGlobal::new),
                strings().map(Command.QueryStatus::new),
                Combinators.combine(strings(), strings(), strings()).as(Command.QueryLock::new),
                Combinators.combine(
                                strings(),
                                Arbitraries.longs(),
                                Arbitraries.of(true, false),
                                Arbitraries.of(BranchStatus.class).injectNull(0.2),
                                times)
                        .as(Command.BranchOutcome::new),
                times.map(Command.Tick::new),
                times.map(Command.Resume::new),
                Combinators.combine(
                                Arbitraries.longs(),
                                strings(),
                                strings(),
                                rows().list().ofMaxSize(6),
                                times)
                        .as(Command.AcquireLocks::new),
                Combinators.combine(Arbitraries.longs(), rows().list().ofMaxSize(6))
                        .as(Command.ReleaseLocks::new),
                Arbitraries.longs().list().ofMaxSize(6).map(Command.QueryAlive::new),
                times.map(Command.ListForeignHolders::new));
    }
}
