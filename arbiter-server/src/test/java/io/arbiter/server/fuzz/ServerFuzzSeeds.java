package io.arbiter.server.fuzz;

import io.arbiter.server.fragment.ClusterMap;
import io.arbiter.server.meta.MetaCodec;
import io.arbiter.server.meta.MetaCommand;
import io.arbiter.server.meta.OperatorRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the seed inputs of {@link ServerInputFuzzTest}: one meta command of each kind, cluster maps of 1 and 5
 * nodes, and configuration files (properties, and YAML in the shape of Seata's {@code application.yml}). Run by hand:
 * {@code java -cp <test class path> io.arbiter.server.fuzz.ServerFuzzSeeds
 * src/test/resources/io/arbiter/server/fuzz/ServerInputFuzzTestInputs}.
 */
public final class ServerFuzzSeeds {
    private ServerFuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path commands = Files.createDirectories(root.resolve("metaCommands"));
        Path maps = Files.createDirectories(root.resolve("clusterMaps"));
        Path configs = Files.createDirectories(root.resolve("configFiles"));
        ClusterMap small = ClusterMap.initial(1, List.of("127.0.0.1_9091"), 1);
        ClusterMap large = fiveNodeMap();
        List<MetaCommand> samples = metaSamples();
        for (int i = 0; i < samples.size(); i++) {
            String name = String.format(
                    Locale.ROOT, "sample-%02d-%s", i, samples.get(i).getClass().getSimpleName());
            Files.write(commands.resolve(name), MetaCodec.encode(samples.get(i)));
        }
        Files.write(maps.resolve("one-node"), MetaCodec.encodeMap(small));
        Files.write(maps.resolve("five-nodes"), MetaCodec.encodeMap(large));
        Files.write(maps.resolve("none"), MetaCodec.encodeMap(null));
        // first byte: even = properties, odd = YAML
        config(configs.resolve("properties"), 0, """
                arbiter.port=8091
                arbiter.http-port=7091
                arbiter.fragments=8
                arbiter.placement.node-down-after=30s
                console.user.username=seata
                console.user.password=s3cret
                """);
        config(configs.resolve("seata-application-yml"), 1, """
                server:
                  port: 7091
                console:
                  user:
                    username: admin
                    password: secret
                seata:
                  store:
                    mode: raft
                  server:
                    service-port: 8091
                    max-commit-retry-timeout: 60000
                    raft:
                      group: default
                      server-addr: 127.0.0.1:9091
                  security:
                    secretKey: SeataSecretKey0c382ef121d778043159209298fd40bf3850a017
                """);
    }

    static final List<String> FIVE =
            List.of("10.0.0.1_9091", "10.0.0.2_9091", "10.0.0.3_9091", "10.0.0.4_9091", "10.0.0.5_9091");

    /** Eight fragments of three replicas on five nodes. */
    public static ClusterMap fiveNodeMap() {
        return ClusterMap.initial(8, FIVE, 3);
    }

    /** One meta command of each kind. */
    public static List<MetaCommand> metaSamples() {
        return List.of(
                new MetaCommand.Bootstrap(fiveNodeMap()),
                new MetaCommand.CreateFragment(9, FIVE.subList(0, 3)),
                new MetaCommand.SetReplicas(3, FIVE.subList(1, 4)),
                new MetaCommand.ChangeReplica(2, "10.0.0.4_9091", MetaCommand.ChangeReplica.Change.ADD),
                new MetaCommand.SetAcceptsBegins(4, false),
                new MetaCommand.ReadMap(),
                new MetaCommand.DropFragment(7),
                new MetaCommand.SetMembers(FIVE),
                new MetaCommand.SetDraining("10.0.0.2_9091", true),
                new MetaCommand.RecordOperators(List.of(operatorRecord())),
                new MetaCommand.MoveSlots(3, 5));
    }

    /** One ended placement operator, as the meta group's history keeps it. */
    public static OperatorRecord operatorRecord() {
        return new OperatorRecord(
                "10.0.0.1_9091",
                12,
                "REPAIR",
                3,
                List.of("AddReplica[fragment=3, node=10.0.0.5_9091]"),
                "10.0.0.4_9091 down for 30 s",
                "SUCCEEDED",
                1,
                1_700_000_000_000L,
                1_700_000_004_000L,
                "");
    }

    private static void config(Path file, int kind, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) kind;
        System.arraycopy(body, 0, out, 1, body.length);
        Files.write(file, out);
    }
}
