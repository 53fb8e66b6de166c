package io.arbiter.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.golden.Hex;
import io.arbiter.protocol.golden.Samples;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed bodies always raise ProtocolException, never IndexOutOfBounds or anything else. */
class SeataCodecBadInputTest {

    private static void assertRejected(String hex, String messagePart) {
        assertThatThrownBy(() -> Hex.decode(Hex.bytes(hex)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(messagePart);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 19, 20, 23, 24, 58, 61, 100, 105, 110, 112, 120, 122, -1, 32767, -32768})
    void unknownTypeCodes(int typeCode) {
        byte[] body = {(byte) (typeCode >> 8), (byte) typeCode, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> Hex.decode(body))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(String.valueOf(typeCode));
    }

    @Test
    void emptyAndOneByteBodies() {
        assertRejected("", "typeCode");
        assertRejected("00", "typeCode");
    }

    @Test
    void everyTruncationOfEverySampleIsRejected() {
        for (SeataMessage m : Samples.all()) {
            byte[] full = Hex.encode(m);
            boolean tolerant = m instanceof RegisterTMRequest || m instanceof RegisterRMRequest;
            for (int len = 0; len < full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                if (tolerant && len >= 2) {
                    assertThat(Hex.decode(cut)).as("%s cut to %d", m, len).isInstanceOf(m.getClass());
                } else {
                    assertThatThrownBy(() -> Hex.decode(cut))
                            .as("%s cut to %d", m, len)
                            .isInstanceOf(ProtocolException.class);
                }
            }
        }
    }

    @Test
    void stringLengthsThatOverrun() {
        assertRejected("0007 0064 783a313a32 0000", "xid");
        assertRejected("000b 0005 783a313a32 00 0001 72 7fffffff 743a31 00000000", "lockKey");
        assertRejected("000b 0005 783a313a32 00 0001 72 00000000 0000", "applicationData length");
        assertRejected("0008 00 7fff 6162 00 09", "msg");
        assertRejected("0066 01 0010 322e32", "version");
    }

    @Test
    void unknownEnumCodes() {
        assertRejected("000b 0005 783a313a32 09 0001 72 00000000 00000000", "BranchType");
        assertRejected("0008 01 00 19", "GlobalStatus");
        assertRejected("0008 02 00 09", "ResultCode");
        assertRejected("0008 01 18 09", "TransactionExceptionCode");
        assertRejected("0004 01 00 0001 78 0000000000000001 0f", "BranchStatus");
        assertRejected("0011 0005 783a313a32 0000 15", "GlobalStatus");
    }

    @Test
    void exceptionOrdinalTableDependsOnVersion() {
        byte[] ordinal23 = Hex.bytes("0008 00 0000 17 0a");
        assertThat(Hex.decode(ordinal23, ClientVersion.V2_0_0)).isNotNull();
        assertThatThrownBy(() -> Hex.decode(ordinal23, ClientVersion.parse("1.8.0")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("23");
    }

    @Test
    void malformedBatchContainers() {
        assertRejected("003b ffffffff 0000", "negative");
        assertRejected("003b 00000010 0001 0007 0000 0000", "content");
        assertRejected("003b 00000002 ffff", "negative item count");
        assertRejected("003b 0000000a 0001 003b 00000002 0000", "not allowed inside a MergedWarpMessage");
        assertRejected("003b 00000008 0001 0065 0000 0000", "not allowed inside a MergedWarpMessage");
        assertRejected("003b 00000007 0001 0008 01 00 09", "not allowed inside a MergedWarpMessage");
        assertRejected("003b 0000000a 0001 0007 0000 0000 0000", "msgId");
        assertRejected("003c 0000000a 0001 0007 0000 0000 0000", "not allowed inside a MergeResultMessage");
        assertRejected("003c 00000008 0001 0079 00000000", "not allowed inside a MergeResultMessage");
        assertRejected("0079 00000007 0001 0008 01 00 09", "msgId");
        assertRejected("0079 0000000d 0002 0008 01 00 09 0008 01 00", "truncated");
    }

    @Test
    void decodeNeverLeaksOtherExceptionsFromABrokenBuffer() {
        var released = Unpooled.buffer();
        released.writeBytes(Hex.bytes("0007 0005 783a313a32 0000"));
        released.release();
        assertThatThrownBy(() -> SeataCodec.decode(released)).isInstanceOf(ProtocolException.class);
    }
}
