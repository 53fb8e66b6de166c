package io.arbiter.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import io.arbiter.core.snapshot.CoordinatorSnapshot;
import io.arbiter.core.snapshot.SnapshotCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing (Jazzer) of the replicated formats a replica reads back: commands and results (from the
 * Raft log) and snapshots (from disk or from the leader). A decoder may only refuse an input with its own typed
 * error — {@link IllegalArgumentException} for commands and results, {@link IOException} for snapshots (a corrupt
 * snapshot is refused with a message, never applied half-way) — and what it accepts must encode again.
 *
 * <p>The default test run replays the inputs under
 * {@code src/test/resources/io/arbiter/core/fuzz/CodecFuzzTestInputs/<method>/}: the golden command and result of every
 * kind, the golden snapshots of versions 3 to 6 ({@link CoreFuzzSeeds}), and every finding of a fuzzing run.
 * {@code bin/fuzz} fuzzes.
 */
class CodecFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void commands(byte[] input) {
        Proposal proposal;
        try {
            proposal = CommandCodec.decode(input);
        } catch (IllegalArgumentException refused) {
            return;
        }
        CommandCodec.encode(proposal);
    }

    @FuzzTest(maxDuration = "5m")
    void results(byte[] input) {
        Result result;
        try {
            result = ResultCodec.decode(input);
        } catch (IllegalArgumentException refused) {
            return;
        }
        ResultCodec.encode(result);
    }

    @FuzzTest(maxDuration = "5m")
    void snapshots(byte[] input) throws IOException {
        CoordinatorSnapshot snapshot;
        try {
            snapshot = SnapshotCodec.read(new ByteArrayInputStream(input));
        } catch (IOException refused) {
            return;
        }
        SnapshotCodec.write(snapshot, new ByteArrayOutputStream());
    }
}
