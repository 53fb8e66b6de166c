package io.arbiter.server.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.server.fuzz.ServerFuzzSeeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of the meta group's formats ({@code src/test/resources/golden/meta-v2.txt}): one command of every
 * kind and a five-node cluster map must encode to exactly the pinned bytes and decode back from them, so a format
 * change fails here until it is versioned; a new kind of {@link MetaCommand} fails until it has a vector.
 */
class MetaFormatGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    static Map<String, byte[]> encoded() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        ServerFuzzSeeds.metaSamples().forEach(c -> m.put(c.getClass().getSimpleName(), MetaCodec.encode(c)));
        m.put("map", MetaCodec.encodeMap(ServerFuzzSeeds.fiveNodeMap()));
        m.put("no-map", MetaCodec.encodeMap(null));
        m.put(
                "snapshot",
                MetaCodec.encodeSnapshot(ServerFuzzSeeds.fiveNodeMap(), List.of(ServerFuzzSeeds.operatorRecord())));
        return m;
    }

    @Test
    void everyMetaCommandKindAndTheMapHavePinnedBytes() throws IOException {
        Map<String, String> golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/meta-v2.txt")) {
            assertThat(in).isNotNull();
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split(" ", 2))
                    .collect(Collectors.toMap(p -> p[0], p -> p[1].trim(), (a, b) -> a, LinkedHashMap::new));
        }
        assertThat(ServerFuzzSeeds.metaSamples().stream().map(c -> c.getClass().getSimpleName()))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(MetaCommand.class.getPermittedSubclasses())
                        .map(Class::getSimpleName)
                        .toList());
        Map<String, byte[]> encoded = encoded();
        assertThat(golden.keySet()).containsExactlyInAnyOrderElementsOf(encoded.keySet());
        encoded.forEach(
                (kind, bytes) -> assertThat(HEX.formatHex(bytes)).as(kind).isEqualTo(golden.get(kind)));
        for (var c : ServerFuzzSeeds.metaSamples()) {
            String kind = c.getClass().getSimpleName();
            assertThat(MetaCodec.decodeCommand(HEX.parseHex(golden.get(kind))))
                    .as(kind)
                    .isEqualTo(c);
        }
        assertThat(MetaCodec.decodeMap(HEX.parseHex(golden.get("map")))).isEqualTo(ServerFuzzSeeds.fiveNodeMap());
        assertThat(MetaCodec.decodeMap(HEX.parseHex(golden.get("no-map")))).isNull();
        assertThat(MetaCodec.decodeSnapshot(HEX.parseHex(golden.get("snapshot"))))
                .isEqualTo(new MetaCodec.Snapshot(
                        ServerFuzzSeeds.fiveNodeMap(), List.of(ServerFuzzSeeds.operatorRecord())));
        // a snapshot written before the history was kept is a map alone
        assertThat(MetaCodec.decodeSnapshot(HEX.parseHex(golden.get("map"))))
                .isEqualTo(new MetaCodec.Snapshot(ServerFuzzSeeds.fiveNodeMap(), List.of()));
    }

    /** Prints the vector file from the current encoder (only when the format gets a new version). */
    public static void main(String[] args) {
        System.out.println("# the meta group's commands and map as MetaCodec v2 writes them: kind hex");
        encoded().forEach((k, b) -> System.out.println(k + " " + HEX.formatHex(b)));
    }
}
