package io.arbiter.protocol.golden;

import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.message.SeataMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.apache.seata.core.protocol.AbstractMessage;
import org.apache.seata.core.protocol.RpcMessage;

/**
 * Writes the seed inputs of {@code DecoderFuzzTest}: every sample message as the real Seata 2.5 client encodes it,
 * as a body and inside a frame (with a leading 0 byte: the latest client version). Run once by hand when the samples
 * change: {@code java -cp <test class path> io.arbiter.protocol.golden.FuzzSeeds
 * src/test/resources/io/arbiter/protocol/fuzz/DecoderFuzzTestInputs}.
 */
public final class FuzzSeeds {
    private FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path frames = Files.createDirectories(root.resolve("frames"));
        Path bodies = Files.createDirectories(root.resolve("bodies"));
        int id = 1;
        for (SeataMessage m : Samples.all()) {
            String name = String.format(
                    java.util.Locale.ROOT, "seata25-%02d-%s", id, m.getClass().getSimpleName());
            AbstractMessage seata = SeataMapping.toSeata(m);
            Files.write(bodies.resolve(name), withVersion(Seata25.serialize(seata)));
            RpcMessage rpc = new RpcMessage();
            rpc.setMessageType(Frame.request(id, m).messageType());
            rpc.setCodec((byte) 1);
            rpc.setCompressor((byte) (id % 3 == 0 ? 2 : 0)); // some gzip-compressed, as a client may send
            rpc.setId(id);
            rpc.setHeadMap(new LinkedHashMap<>());
            rpc.setBody(seata);
            Files.write(frames.resolve(name), withVersion(Seata25.encodeFrame(rpc)));
            id++;
        }
    }

    private static byte[] withVersion(byte[] bytes) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 1, bytes.length);
        return out;
    }
}
