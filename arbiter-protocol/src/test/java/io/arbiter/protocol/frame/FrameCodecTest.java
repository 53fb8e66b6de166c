package io.arbiter.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.compress.Compressor;
import io.arbiter.protocol.golden.Hex;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Frame validation (bad input) and encoder rules. */
class FrameCodecTest {

    private static final String COMMIT_FRAME = "dada 01 0000001b 0010 00 01 00 00000007 | 0007 0005 783a313a32 0000";

    private static void assertRejected(String hex, String messagePart) {
        byte[] bytes = Hex.bytes(hex);
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        assertThatThrownBy(() -> FrameCodec.decode(in, ClientVersion.LATEST))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(messagePart);
        assertThat(in.readerIndex()).as("reader index untouched").isZero();
    }

    @Test
    void framingConstantsForALengthFieldDecoder() {
        assertThat(FrameCodec.MAX_FRAME_LENGTH).isEqualTo(8 * 1024 * 1024);
        assertThat(FrameCodec.LENGTH_FIELD_OFFSET).isEqualTo(3);
        assertThat(FrameCodec.LENGTH_FIELD_LENGTH).isEqualTo(4);
        assertThat(FrameCodec.LENGTH_ADJUSTMENT).isEqualTo(-7);
        assertThat(FrameCodec.INITIAL_BYTES_TO_STRIP).isZero();
    }

    @Test
    void wrongMagicOrVersion() {
        assertRejected("dadb 01 0000001b 0010 00 01 00 00000007 0007 0005 783a313a32 0000", "magic");
        assertRejected("0000 01 0000001b 0010 00 01 00 00000007 0007 0005 783a313a32 0000", "magic");
        assertRejected("da", "shorter");
        assertRejected("dada 00 0000001b 0010 00 01 00 00000007 0007 0005 783a313a32 0000", "version");
        assertRejected("dada 02 0000001b 0010 00 01 00 00000007 0007 0005 783a313a32 0000", "version");
        assertRejected("", "shorter");
        assertRejected("dada 01 00000010 0010 03 01", "shorter");
    }

    @Test
    void badLengths() {
        // the garbage header a failing RM encoder leaves behind (spec §9.1)
        assertRejected("dada 01 00000000 0000 01 01 00 00000005", "fullLength 0");
        assertRejected("dada 01 0000000f 0010 03 01 00 00000005", "fullLength 15");
        assertRejected("dada 01 ffffffff 0010 03 01 00 00000005", "fullLength -1");
        assertRejected("dada 01 00800001 0010 03 01 00 00000005", "fullLength 8388609");
        assertRejected("dada 01 0000001c 0010 00 01 00 00000007 0007 0005 783a313a32 0000", "truncated frame");
        assertRejected("dada 01 0000001b 000f 00 01 00 00000007 0007 0005 783a313a32 0000", "headLength 15");
        assertRejected("dada 01 0000001b 001c 00 01 00 00000007 0007 0005 783a313a32 0000", "headLength 28");
        assertRejected("dada 01 0000001b 8000 00 01 00 00000007 0007 0005 783a313a32 0000", "headLength -32768");
    }

    @Test
    void badHeadMaps() {
        assertRejected("dada 01 00000015 0015 01 01 00 00000009 | 000a 6b6b6b", "overruns the head map");
        assertRejected("dada 01 00000013 0013 01 01 00 00000009 | 0001 6b", "truncated head map");
        assertRejected("dada 01 00000011 0011 01 01 00 00000009 | 00", "truncated head map");
        // a head map string may not run into the body
        assertRejected("dada 01 00000019 0014 01 01 00 00000009 | 0001 6b 00 | 0008 010009", "head map");
    }

    @Test
    void headMapNullAndEmptyStrings() {
        Frame f = Hex.decodeFrame(Hex.bytes("dada 01 00000019 0019 03 01 00 00000009 | ffff 0000 0001 6b ffff"));
        assertThat(f.headMap()).containsEntry(null, "").containsEntry("k", null).hasSize(2);
        assertThat(f.body()).isEqualTo(HeartbeatMessage.PING);
    }

    @Test
    void unsupportedCodecOrCompressor() {
        assertRejected("dada 01 0000001b 0010 00 02 00 00000007 0007 0005 783a313a32 0000", "codec 2");
        assertRejected("dada 01 0000001b 0010 00 00 00 00000007 0007 0005 783a313a32 0000", "codec 0");
        assertRejected("dada 01 00000010 0010 03 04 00 00000007", "codec 4");
        assertRejected("dada 01 0000001b 0010 00 01 02 00000007 0007 0005 783a313a32 0000", "ZIP");
        assertRejected("dada 01 0000001b 0010 00 01 07 00000007 0007 0005 783a313a32 0000", "ZSTD");
        assertRejected("dada 01 0000001b 0010 00 01 63 00000007 0007 0005 783a313a32 0000", "compressor code 99");
        assertRejected("dada 01 0000001b 0010 00 01 01 00000007 0007 0005 783a313a32 0000", "gzip");
    }

    @Test
    void badBodies() {
        assertRejected("dada 01 00000014 0010 00 01 00 00000007 0017 0000", "type code 23");
        assertRejected("dada 01 00000017 0010 00 01 00 00000007 0007 0005 783a31", "xid");
        assertRejected("dada 01 00000011 0010 00 01 00 00000007 00", "typeCode");
    }

    @Test
    void gzipBombIsRejected() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(new byte[Compressor.MAX_DECOMPRESSED_LENGTH + 1]);
        }
        byte[] body = bytes.toByteArray();
        ByteBuf frame = Unpooled.buffer();
        frame.writeShort(0xDADA)
                .writeByte(1)
                .writeInt(16 + body.length)
                .writeShort(16)
                .writeByte(0)
                .writeByte(1)
                .writeByte(1)
                .writeInt(7)
                .writeBytes(body);
        assertThatThrownBy(() -> FrameCodec.decode(frame))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("expands beyond");
    }

    @Test
    void decodeConsumesExactlyOneFrame() {
        byte[] one = Hex.bytes(COMMIT_FRAME);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(one).writeBytes(one).writeByte(0x55);
        assertThat(FrameCodec.decode(in).body()).isEqualTo(new GlobalCommitRequest("x:1:2", null));
        assertThat(in.readerIndex()).isEqualTo(one.length);
        assertThat(FrameCodec.decode(in).requestId()).isEqualTo(7);
        assertThat(in.readableBytes()).isEqualTo(1);
    }

    @Test
    void emptyNonHeartbeatBodyIsNullAndHeartbeatBodyBytesAreIgnored() {
        Frame empty = Hex.decodeFrame(Hex.bytes("dada 01 00000010 0010 00 01 00 00000007"));
        assertThat(empty.body()).isNull();
        assertThat(empty.isHeartbeat()).isFalse();
        Frame pong = Hex.decodeFrame(Hex.bytes("dada 01 00000012 0010 04 01 00 00000007 abcd"));
        assertThat(pong.body()).isEqualTo(HeartbeatMessage.PONG);
        assertThat(pong.isHeartbeat()).isTrue();
    }

    @Test
    void unknownMessageTypeBytePassesThrough() {
        Frame f = Hex.decodeFrame(Hex.bytes("dada 01 0000001b 0010 09 01 00 00000007 0007 0005 783a313a32 0000"));
        assertThat(f.messageType()).isEqualTo((byte) 9);
        assertThat(f.body()).isEqualTo(new GlobalCommitRequest("x:1:2", null));
    }

    @Test
    void encoderRefusals() {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(1);
        GlobalCommitRequest body = new GlobalCommitRequest("x:1:2", null);
        assertThatThrownBy(() -> FrameCodec.encode(new Frame((byte) 0, (byte) 2, (byte) 0, 1, null, body), out))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("codec");
        assertThatThrownBy(() -> FrameCodec.encode(new Frame((byte) 0, (byte) 1, (byte) 5, 1, null, body), out))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("LZ4");
        Frame bigHead = new Frame((byte) 1, (byte) 1, (byte) 0, 1, Map.of("k", "v".repeat(32760)), null);
        assertThatThrownBy(() -> FrameCodec.encode(bigHead, out))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("headLength");
        Frame bigBody = Frame.request(1, new GlobalBeginRequest(1, "x".repeat(30000)));
        assertThat(Hex.encodeFrame(bigBody)).hasSize(16 + 2 + 4 + 2 + 30000);
        Frame tooBig = Frame.oneway(
                1,
                new io.arbiter.protocol.message.MergedWarpMessage(
                        java.util.Collections.nCopies(300, new GlobalBeginRequest(1, "x".repeat(30000))), null));
        assertThatThrownBy(() -> FrameCodec.encode(tooBig, out))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds " + FrameCodec.MAX_FRAME_LENGTH);
        Frame unknownStatus =
                Frame.responseTo(Frame.request(1, body), GlobalCommitResponse.success(GlobalStatus.Deleting));
        assertThatThrownBy(() -> FrameCodec.encode(unknownStatus, out, ClientVersion.parse("2.2.0")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("Deleting");
        assertThat(out.writerIndex()).as("nothing left behind").isEqualTo(1);
    }

    @Test
    void encodeAppendsAfterExistingContentAndPatchesLengths() {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(new byte[] {9, 9});
        FrameCodec.encode(Frame.request(7, new GlobalCommitRequest("x:1:2", null)), out);
        assertThat(Hex.hex(ByteBufUtil.getBytes(out))).isEqualTo("0909" + Hex.hex(Hex.bytes(COMMIT_FRAME)));
    }

    @Test
    void frameRecordInvariants() {
        assertThatThrownBy(() ->
                        new Frame(MessageKind.HEARTBEAT_REQUEST, (byte) 1, (byte) 0, 1, null, HeartbeatMessage.PONG))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> new Frame(MessageKind.REQUEST_SYNC, (byte) 1, (byte) 0, 1, null, HeartbeatMessage.PING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Frame(MessageKind.HEARTBEAT_RESPONSE, (byte) 1, (byte) 0, 1, null, null).body())
                .isEqualTo(HeartbeatMessage.PONG);
        assertThat(new Frame(MessageKind.RESPONSE, (byte) 1, (byte) 0, 1, null, null).headMap())
                .isEmpty();
        assertThat(MessageKind.isHeartbeat(MessageKind.REQUEST_ONEWAY)).isFalse();
    }
}
