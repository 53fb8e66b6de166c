package io.arbiter.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.golden.Hex;
import io.arbiter.protocol.message.BatchResultMessage;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRollbackRequest;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalReportRequest;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.arbiter.protocol.message.MergedWarpMessage;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.protocol.message.UndoLogDeleteRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoder-side rules: version-unknown values, unsafe strings and fields, buffer hygiene. */
class SeataCodecRulesTest {

    private static final ClientVersion V18 = ClientVersion.parse("1.8.0");
    private static final ClientVersion V22 = ClientVersion.parse("2.2.0");

    /** Asserts encode fails with ProtocolException and leaves the buffer exactly as it was. */
    private static void assertRefused(SeataMessage m, ClientVersion v, String messagePart) {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SeataCodec.encode(m, out, v))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(messagePart);
        assertThat(out.writerIndex()).isEqualTo(3);
    }

    @Test
    void refusesEnumValuesTheClientDoesNotKnow() {
        assertRefused(GlobalCommitResponse.success(GlobalStatus.Deleting), V22, "Deleting");
        assertRefused(GlobalCommitResponse.success(GlobalStatus.StopRollbackOrRollbackRetry), V18, "StopRollback");
        assertRefused(new GlobalReportRequest("x", null, GlobalStatus.StopCommitOrCommitRetry), V22, "StopCommit");
        assertRefused(new BranchCommitRequest("x", 1, BranchType.SAGA_ANNOTATION, "r", null), V22, "SAGA_ANNOTATION");
        assertRefused(
                new BranchRegisterRequest("x", BranchType.SAGA_ANNOTATION, "r", null, null), V22, "SAGA_ANNOTATION");
        assertThat(Hex.encode(GlobalCommitResponse.success(GlobalStatus.Deleting), ClientVersion.V2_5_0))
                .containsExactly(Hex.bytes("0008 01 00 12"));
        assertThat(Hex.encode(GlobalCommitResponse.success(GlobalStatus.RollbackRetryTimeout), V18))
                .containsExactly(Hex.bytes("0008 01 00 11"));
    }

    @Test
    void refusesBatchResultForPre15Clients() {
        BatchResultMessage batch =
                new BatchResultMessage(List.of(GlobalCommitResponse.success(GlobalStatus.Committed)), List.of(1));
        assertRefused(batch, ClientVersion.parse("1.4.2"), "BatchResultMessage");
        assertThat(Hex.encode(batch, ClientVersion.V1_5_0)).isNotEmpty();
    }

    @Test
    void refusesFieldsTheRmDecoderWouldStopAt() {
        assertRefused(new BranchCommitRequest(null, 1, BranchType.AT, "r", null), ClientVersion.LATEST, "xid");
        assertRefused(new BranchRollbackRequest("x", 1, BranchType.AT, "", null), ClientVersion.LATEST, "resourceId");
        assertRefused(new UndoLogDeleteRequest(BranchType.AT, null, (short) 7), ClientVersion.LATEST, "resourceId");
    }

    @Test
    void refusesStringsTooLongForStr16ButTruncatesMsg() {
        String big = "x".repeat(32768);
        assertRefused(new GlobalCommitRequest(big, null), ClientVersion.LATEST, "xid");
        assertThat(Hex.encode(new GlobalCommitRequest("x".repeat(32767), null))).hasSize(2 + 2 + 32767 + 2);
        byte[] failed = Hex.encode(GlobalCommitResponse.failed(
                io.arbiter.protocol.TransactionExceptionCode.IO, big, GlobalStatus.Finished));
        assertThat(failed).hasSize(2 + 1 + 2 + 32767 + 1 + 1);
    }

    @Test
    void refusesHeartbeatsAndOversizedBatches() {
        assertRefused(HeartbeatMessage.PING, ClientVersion.LATEST, "heartbeat");
        List<TransactionRequest> many = Collections.nCopies(32768, new GlobalCommitRequest("x", null));
        assertRefused(new MergedWarpMessage(many, null), ClientVersion.LATEST, "32767");
    }

    @Test
    void decodeReadsOneMessageAndLeavesTrailingBytes() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("0007 0005 783a313a32 0000 cafe"));
        assertThat(SeataCodec.decode(in)).isEqualTo(new GlobalCommitRequest("x:1:2", null));
        assertThat(in.readableBytes()).isEqualTo(2);
    }

    @Test
    void encodeAppendsAfterExistingContent() {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(0x7f);
        SeataCodec.encode(new GlobalCommitRequest("x:1:2", null), out);
        assertThat(Hex.hex(io.netty.buffer.ByteBufUtil.getBytes(out))).isEqualTo("7f00070005783a313a320000");
    }

    @Test
    void negativeStringLengthMeansAbsent() {
        assertThat(Hex.decode(Hex.bytes("0007 ffff 8000"))).isEqualTo(new GlobalCommitRequest(null, null));
    }
}
