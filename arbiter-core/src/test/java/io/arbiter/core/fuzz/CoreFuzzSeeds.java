package io.arbiter.core.fuzz;

import io.arbiter.core.command.CommandCodec;
import io.arbiter.core.command.Proposal;
import io.arbiter.core.golden.ReplicatedFormatGoldenTest;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the seed inputs of {@link CodecFuzzTest}: the golden command and result of every kind
 * ({@link ReplicatedFormatGoldenTest}) and the golden snapshots of versions 3 to 6. Run by hand when the formats
 * grow: {@code java -cp <test class path> io.arbiter.core.fuzz.CoreFuzzSeeds
 * src/test/resources/io/arbiter/core/fuzz/CodecFuzzTestInputs}.
 */
public final class CoreFuzzSeeds {
    private CoreFuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path commands = Files.createDirectories(root.resolve("commands"));
        Path results = Files.createDirectories(root.resolve("results"));
        Path snapshots = Files.createDirectories(root.resolve("snapshots"));
        for (Map.Entry<String, Proposal> e :
                ReplicatedFormatGoldenTest.commands().entrySet()) {
            Files.write(commands.resolve("golden-" + e.getKey()), CommandCodec.encode(e.getValue()));
        }
        for (Map.Entry<String, Result> e : ReplicatedFormatGoldenTest.results().entrySet()) {
            Files.write(results.resolve("golden-" + e.getKey()), ResultCodec.encode(e.getValue()));
        }
        for (int v = 3; v <= 6; v++) {
            try (InputStream golden =
                    CoreFuzzSeeds.class.getResourceAsStream("/golden/coordinator-snapshot-v" + v + ".bin")) {
                Files.write(snapshots.resolve("golden-v" + v), golden.readAllBytes());
            }
        }
    }
}
