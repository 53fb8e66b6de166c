package io.arbiter.core.fuzz;

import io.arbiter.core.ResultCodecTest;
import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.CommandCodecTest;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the seed inputs of {@link CodecFuzzTest}: 60 sampled commands of every kind, one result of each kind, and
 * the golden snapshot of every format version. Run by hand when the formats grow: {@code java -cp <test class path>
 * io.arbiter.core.fuzz.CoreFuzzSeeds src/test/resources/io/arbiter/core/fuzz/CodecFuzzTestInputs}.
 */
public final class CoreFuzzSeeds {
    private CoreFuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path commands = Files.createDirectories(root.resolve("commands"));
        Path results = Files.createDirectories(root.resolve("results"));
        Path snapshots = Files.createDirectories(root.resolve("snapshots"));
        List<io.arbiter.core.command.Proposal> sampled = CommandCodecTest.sampleProposals(60);
        for (int i = 0; i < sampled.size(); i++) {
            Files.write(commands.resolve(name(i, sampled.get(i).command())), CommandCodec.encode(sampled.get(i)));
        }
        List<Result> samples = ResultCodecTest.samples();
        for (int i = 0; i < samples.size(); i++) {
            Files.write(results.resolve(name(i, samples.get(i))), ResultCodec.encode(samples.get(i)));
        }
        for (int v = 3; v <= 6; v++) {
            try (InputStream golden =
                    CoreFuzzSeeds.class.getResourceAsStream("/golden/coordinator-snapshot-v" + v + ".bin")) {
                Files.write(snapshots.resolve("golden-v" + v), golden.readAllBytes());
            }
        }
    }

    private static String name(int i, Object sample) {
        return String.format(Locale.ROOT, "sample-%02d-%s", i, sample.getClass().getSimpleName());
    }
}
