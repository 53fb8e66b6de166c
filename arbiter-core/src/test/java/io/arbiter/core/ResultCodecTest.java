package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ResultCodecTest {
    @Test
    void everyResultRoundTrips() {
        List<Result> results = List.of(
                new Result.Began("1.2.3.4:8091:7"),
                new Result.BranchRegistered(42),
                new Result.Status(GlobalStatus.Committing, true),
                Result.Status.of(GlobalStatus.Finished),
                new Result.Lockable(false),
                Result.Done.INSTANCE,
                new Result.Rejected(ErrorCode.LockKeyConflict, "held", GlobalStatus.Begin),
                new Result.Rejected(ErrorCode.GlobalTransactionNotExist, null, null),
                new Result.LocksTaken(List.of("r^^^t^^^1", "r^^^t^^^\u00e9")),
                new Result.LocksTaken(List.of()),
                new Result.Liveness(List.of(3L, 1L << 48)),
                new Result.Holders(List.of()));
        for (Result r : results) {
            assertThat(ResultCodec.decode(ResultCodec.encode(r))).isEqualTo(r);
        }
    }

    /** The new results' bytes are pinned: a change fails here until it is versioned. */
    @Test
    void theLockResultsHavePinnedBytes() {
        assertGolden(new Result.LocksTaken(List.of("r^^^t^^^1")), "070000000100000009725e5e5e745e5e5e31");
        assertGolden(
                new Result.Liveness(List.of(7L, 0x2000000000007L)), "08000000020000000000000007" + "0002000000000007");
        assertGolden(new Result.Holders(List.of(0x3000000000001L)), "09000000010003000000000001");
        assertGolden(Result.Done.INSTANCE, "05");
    }

    private static void assertGolden(Result result, String hex) {
        assertThat(HexFormat.of().formatHex(ResultCodec.encode(result)))
                .as("%s", result)
                .isEqualTo(hex);
        assertThat(ResultCodec.decode(HexFormat.of().parseHex(hex))).isEqualTo(result);
    }

    @Property(tries = 300)
    void randomLockResultsRoundTrip(
            @ForAll @Size(max = 8) List<@StringLength(max = 40) @CharRange(from = 'a', to = '\u4e00') String> rows,
            @ForAll @Size(max = 8) List<Long> ids) {
        for (Result r : List.of(new Result.LocksTaken(rows), new Result.Liveness(ids), new Result.Holders(ids))) {
            assertThat(ResultCodec.decode(ResultCodec.encode(r))).isEqualTo(r);
        }
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> ResultCodec.decode(new byte[] {99})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultCodec.decode(new byte[] {6, 100})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultCodec.decode(new byte[] {8, -1, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultCodec.decode(new byte[] {7, 0, 0, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
