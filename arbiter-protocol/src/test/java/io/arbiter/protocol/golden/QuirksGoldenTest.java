package io.arbiter.protocol.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalReportRequest;
import io.arbiter.protocol.message.MergedWarpMessage;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.SeataMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec quirks of spec §5, each checked against Seata 2.5.0's own serializer. */
class QuirksGoldenTest {

    @Test
    void emptyStringsAreWrittenLikeNullAndReadAsNull() {
        GlobalCommitRequest m = new GlobalCommitRequest("", "");
        byte[] seata = Seata25.serialize(SeataMapping.toSeata(m));
        assertThat(Hex.hex(Hex.encode(m))).isEqualTo("000700000000").isEqualTo(Hex.hex(seata));
        assertThat(Hex.decode(seata)).isEqualTo(new GlobalCommitRequest(null, null));
    }

    @Test
    void msgIsWrittenOnlyWhenFailed() {
        GlobalCommitResponse m = new GlobalCommitResponse(
                ResultCode.Success, TransactionExceptionCode.Unknown, "ignored", GlobalStatus.Committed);
        byte[] seata = Seata25.serialize(SeataMapping.toSeata(m));
        assertThat(Hex.hex(Hex.encode(m))).isEqualTo("0008010009").isEqualTo(Hex.hex(seata));
        assertThat(((GlobalCommitResponse) Hex.decode(seata)).msg()).isNull();
    }

    @Test
    void longAsciiMsgIsTruncatedTo32767BytesLikeSeata() {
        String msg = "x".repeat(40_000);
        GlobalCommitResponse m = GlobalCommitResponse.failed(TransactionExceptionCode.IO, msg, GlobalStatus.Finished);
        byte[] seata = Seata25.serialize(SeataMapping.toSeata(m));
        byte[] ours = Hex.encode(m);
        assertThat(Hex.hex(ours)).isEqualTo(Hex.hex(seata));
        assertThat(((GlobalCommitResponse) Hex.decode(ours)).msg()).isEqualTo(msg.substring(0, 32767));
    }

    @Test
    void longMultiByteMsgIsTruncatedByBytesOnACharacterBoundary() {
        // Seata truncates by chars: 20000 x '€' = 60000 bytes and its i16 length wraps negative (the peer loses sync).
        for (String unit : List.of("€", "😀", "ß", "a€")) {
            String msg = unit.repeat(40_000 / unit.length());
            GlobalCommitResponse m =
                    GlobalCommitResponse.failed(TransactionExceptionCode.IO, msg, GlobalStatus.Finished);
            byte[] ours = Hex.encode(m);
            int len = ((ours[3] & 0xFF) << 8) | (ours[4] & 0xFF);
            assertThat(len).isLessThanOrEqualTo(32767).isGreaterThan(32767 - 4);
            String decoded = ((GlobalCommitResponse) Hex.decode(ours)).msg();
            assertThat(msg).startsWith(decoded);
            assertThat(decoded.getBytes(StandardCharsets.UTF_8)).hasSize(len);
            // and the real client reads it without losing sync
            Object seata = Seata25.deserialize(ours);
            assertThat(SeataMapping.fromSeata(seata))
                    .isEqualTo(
                            GlobalCommitResponse.failed(TransactionExceptionCode.IO, decoded, GlobalStatus.Finished));
        }
    }

    @Test
    void globalReportNegativeStatusIsNull() {
        byte[] minusTwo = Hex.bytes("0011 0005 783a313a32 0000 fe");
        GlobalReportRequest expected = new GlobalReportRequest("x:1:2", null, null);
        assertThat(Hex.decode(minusTwo)).isEqualTo(expected);
        assertThat(SeataMapping.fromSeata(Seata25.deserialize(minusTwo))).isEqualTo(expected);
        assertThat(Hex.hex(Hex.encode(expected))).isEqualTo("00110005783a313a320000ff");
    }

    @Test
    void lockableIsTrueOnlyForShortOne() {
        for (String value : List.of("0000", "0001", "0002", "0100", "ffff")) {
            byte[] bytes = Hex.bytes("0016 01 00 " + value);
            SeataMessage ours = Hex.decode(bytes);
            assertThat(((GlobalLockQueryResponse) ours).lockable()).isEqualTo(value.equals("0001"));
            assertThat(SeataMapping.fromSeata(Seata25.deserialize(bytes))).isEqualTo(ours);
        }
    }

    @Test
    void mergedWarpMessageTrailerIsReadOnlyIfBytesRemain() {
        byte[] noTrailer = Hex.bytes("003b 00000018 0002  0007 0005 783a313a32 0000  0007 0005 783a313a32 0000");
        MergedWarpMessage ours = (MergedWarpMessage) Hex.decode(noTrailer);
        assertThat(ours.hasMsgIds()).isFalse();
        assertThat(ours.msgs()).hasSize(2);
        assertThat(SeataMapping.fromSeata(Seata25.deserialize(noTrailer))).isEqualTo(ours);
        // extra bytes after the trailer, inside the content, are ignored by both
        byte[] extra = Hex.bytes(
                "003b 00000022 0002  0007 0005 783a313a32 0000  0007 0005 783a313a32 0000" + " 00000005 00000006 abcd");
        assertThat(Hex.decode(extra)).isEqualTo(SeataMapping.fromSeata(Seata25.deserialize(extra)));
        assertThat(((MergedWarpMessage) Hex.decode(extra)).msgIds()).containsExactly(5, 6);
    }

    @Test
    void registerRmStopsAtAnEmptyVersion() {
        byte[] bytes = Hex.bytes("0067 0000 0003 617070 0003 677270 0000 00000001 72");
        RegisterRMRequest ours = (RegisterRMRequest) Hex.decode(bytes);
        assertThat(ours).isEqualTo(new RegisterRMRequest(null, null, null, null, null));
        assertThat(withSeataDefaultVersion(ours)).isEqualTo(SeataMapping.fromSeata(Seata25.deserialize(bytes)));
    }

    /**
     * Seata's request objects start out with the library's own version; when the wire carries none, Seata reports
     * that default while we report null (to be read as {@code ClientVersion.LATEST}).
     */
    private static SeataMessage withSeataDefaultVersion(SeataMessage m) {
        String current = org.apache.seata.core.protocol.Version.getCurrent();
        if (m instanceof RegisterTMRequest r && r.version() == null) {
            return new RegisterTMRequest(current, r.applicationId(), r.transactionServiceGroup(), r.extraData());
        }
        if (m instanceof RegisterRMRequest r && r.version() == null) {
            return new RegisterRMRequest(
                    current, r.applicationId(), r.transactionServiceGroup(), r.extraData(), r.resourceIds());
        }
        return m;
    }

    @Test
    void registerRequestsTolerateTruncationExactlyLikeSeata() {
        for (SeataMessage m : Samples.registration()) {
            byte[] full = Hex.encode(m);
            for (int len = 2; len <= full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                SeataMessage ours = Hex.decode(cut);
                SeataMessage seata = SeataMapping.fromSeata(Seata25.deserialize(cut));
                assertThat(withSeataDefaultVersion(ours))
                        .as("%s cut to %d bytes", m, len)
                        .isEqualTo(seata);
            }
        }
        assertThat(Hex.decode(Hex.bytes("0065 0005 322e32"))).isEqualTo(new RegisterTMRequest(null, null, null, null));
    }
}
