package io.arbiter.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.seata.compressor.gzip.GzipUtil;
import org.apache.seata.core.compressor.CompressorType;
import org.junit.jupiter.api.Test;

class CompressorTest {

    @Test
    void codesMatchSeatasCompressorType() {
        assertThat(Compressor.NONE.code()).isEqualTo(CompressorType.NONE.getCode());
        assertThat(Compressor.GZIP.code()).isEqualTo(CompressorType.GZIP.getCode());
        assertThat(Compressor.fromCode(0)).isEqualTo(Compressor.NONE);
        assertThat(Compressor.fromCode(1)).isEqualTo(Compressor.GZIP);
        for (CompressorType t : CompressorType.values()) {
            if (t != CompressorType.NONE && t != CompressorType.GZIP) {
                assertThatThrownBy(() -> Compressor.fromCode(t.getCode()))
                        .isInstanceOf(ProtocolException.class)
                        .hasMessageContaining(t.name());
            }
        }
        assertThatThrownBy(() -> Compressor.fromCode(8)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Compressor.fromCode(-1)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void gzipIsByteIdenticalToSeatasGzipUtil() {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 17, 1000, 70_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            assertThat(Compressor.GZIP.compress(data)).containsExactly(GzipUtil.compress(data));
            assertThat(Compressor.GZIP.decompress(GzipUtil.compress(data))).containsExactly(data);
            assertThat(GzipUtil.decompress(Compressor.GZIP.compress(data))).containsExactly(data);
        }
        byte[] text = "hello hello hello hello".getBytes(StandardCharsets.UTF_8);
        assertThat(Compressor.GZIP.compress(text).length).isLessThan(text.length + 20);
    }

    @Test
    void noneIsIdentity() {
        byte[] data = {1, 2, 3};
        assertThat(Compressor.NONE.compress(data)).isSameAs(data);
        assertThat(Compressor.NONE.decompress(data)).isSameAs(data);
    }

    @Test
    void corruptGzipIsAProtocolException() {
        byte[] good = Compressor.GZIP.compress(new byte[100]);
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThatThrownBy(() -> Compressor.GZIP.decompress(cut)).isInstanceOf(ProtocolException.class);
        }
        assertThatThrownBy(() -> Compressor.GZIP.decompress(new byte[] {1, 2, 3, 4}))
                .isInstanceOf(ProtocolException.class);
    }
}
