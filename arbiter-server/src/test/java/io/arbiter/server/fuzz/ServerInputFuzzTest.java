package io.arbiter.server.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arbiter.server.config.ConfigException;
import io.arbiter.server.config.ConfigLoader;
import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.meta.MetaCodec;
import io.arbiter.server.meta.MetaCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the node's own parsers of outside or replicated input: the meta group's
 * commands and cluster maps (Raft log and snapshots), and the configuration file an operator passes with
 * {@code --config} (YAML such as Seata's {@code application.yml}, or properties). The codecs may only refuse with
 * {@link IllegalArgumentException}; a configuration may only be refused with a {@link ConfigException}, which names
 * the key, so that a bad file stops the start with a message.
 *
 * <p>The default test run replays {@code src/test/resources/io/arbiter/server/fuzz/ServerInputFuzzTestInputs/}
 * (encoded sample commands and maps, sample configuration files, and every finding). {@code bin/fuzz} fuzzes.
 */
class ServerInputFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void metaCommands(byte[] input) {
        MetaCommand command;
        try {
            command = MetaCodec.decodeCommand(input);
        } catch (IllegalArgumentException refused) {
            return;
        }
        MetaCodec.encode(command);
    }

    @FuzzTest(maxDuration = "5m")
    void clusterMaps(byte[] input) {
        ClusterMap map;
        try {
            map = MetaCodec.decodeMap(input);
        } catch (IllegalArgumentException refused) {
            return;
        }
        MetaCodec.encodeMap(map);
    }

    /** The first byte picks the file kind (odd: YAML, even: properties); the rest is the file. */
    @FuzzTest(maxDuration = "5m")
    void configFiles(byte[] input) throws IOException {
        boolean yaml = input.length > 0 && (input[0] & 1) == 1;
        Path dir = Files.createTempDirectory("arbiter-config-fuzz");
        Path file = dir.resolve(yaml ? "application.yml" : "arbiter.properties");
        try {
            Files.write(file, input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length));
            Map<String, String> values = ConfigLoader.readFile(file);
            ConfigLoader.load(values);
        } catch (ConfigException refused) {
            // named the key or the file: the start stops with that message
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
