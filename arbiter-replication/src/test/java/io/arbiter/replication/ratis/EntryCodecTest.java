package io.arbiter.replication.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

    @Test
    void roundTripsCommandsOfEveryVarintWidth() {
        List<byte[]> commands =
                List.of(new byte[0], bytes(1), bytes(127), bytes(128), bytes(16_383), bytes(16_384), bytes(300_000));
        byte[] encoded = EntryCodec.encode(-42L, Long.MAX_VALUE, commands);

        EntryCodec.Entry decoded = EntryCodec.decode(ByteBuffer.wrap(encoded));
        assertThat(decoded.proposerId()).isEqualTo(-42L);
        assertThat(decoded.batchId()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoded.commands()).hasSize(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            assertThat(decoded.commands().get(i)).isEqualTo(commands.get(i));
        }
        assertThat(EntryCodec.proposerId(ByteBuffer.wrap(encoded))).isEqualTo(-42L);
        assertThat(EntryCodec.batchId(ByteBuffer.wrap(encoded))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void layoutIsCompact() {
        byte[] encoded = EntryCodec.encode(1, 2, List.of(new byte[] {7, 8}, new byte[] {9}));
        assertThat(encoded)
                .containsExactly(
                        1, // version
                        0, 0, 0, 0, 0, 0, 0, 1, // proposer id
                        0, 0, 0, 0, 0, 0, 0, 2, // batch id
                        2, // count
                        2, 7, 8, // length, command
                        1, 9);
        assertThat(EntryCodec.varintSize(127)).isEqualTo(1);
        assertThat(EntryCodec.varintSize(128)).isEqualTo(2);
        assertThat(EntryCodec.varintSize(Integer.MAX_VALUE)).isEqualTo(5);
    }

    @Test
    void rejectsMalformedEntries() {
        byte[] good = EntryCodec.encode(1, 2, List.of(bytes(10)));
        assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap(Arrays.copyOf(good, good.length - 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claims 10 bytes");
        assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap(Arrays.copyOf(good, good.length + 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing");
        byte[] wrongVersion = good.clone();
        wrongVersion[0] = 9;
        assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap(wrongVersion)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> EntryCodec.decode(ByteBuffer.wrap(new byte[5])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than its header");
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }
}
