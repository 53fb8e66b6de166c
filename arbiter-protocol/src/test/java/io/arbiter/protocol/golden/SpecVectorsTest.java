package io.arbiter.protocol.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.compress.Compressor;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.frame.MessageKind;
import io.arbiter.protocol.message.BatchResultMessage;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.BranchReportRequest;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalReportRequest;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.arbiter.protocol.message.MergeResultMessage;
import io.arbiter.protocol.message.MergedWarpMessage;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.RegisterTMResponse;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.protocol.message.UndoLogDeleteRequest;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The verified hex dumps of spec §14, literally, decoded and re-encoded. */
class SpecVectorsTest {

    private static final GlobalCommitRequest COMMIT = new GlobalCommitRequest("x:1:2", null);
    private static final GlobalCommitResponse COMMITTED = GlobalCommitResponse.success(GlobalStatus.Committed);

    static Stream<Arguments> bodies() {
        return Stream.of(
                arguments(
                        "0065 0005 322e322e30 0003 617070 0003 677270 001d "
                                + Hex.hex("ak=x\nvgroup=grp\nip=127.0.0.1\n".getBytes()),
                        new RegisterTMRequest("2.2.0", "app", "grp", "ak=x\nvgroup=grp\nip=127.0.0.1\n")),
                arguments(
                        "0067 0005 322e322e30 0003 617070 0003 677270 0000 00000011 "
                                + "6a6462633a6d7973716c3a2f2f682f6462",
                        new RegisterRMRequest("2.2.0", "app", "grp", null, "jdbc:mysql://h/db")),
                arguments("0066 01 0005 322e322e30", new RegisterTMResponse(true, "2.2.0")),
                arguments("0001 0000ea60 0002 7478", new GlobalBeginRequest(60000, "tx")),
                arguments(
                        "0002 01 00 000f 312e322e332e343a383039313a3939 0000",
                        GlobalBeginResponse.success("1.2.3.4:8091:99")),
                arguments(
                        "0002 00 0003 657272 01 0000 0000",
                        GlobalBeginResponse.failed(TransactionExceptionCode.BeginFailed, "err")),
                arguments("0007 0005 783a313a32 0000", COMMIT),
                arguments("0008 01 00 09", COMMITTED),
                arguments(
                        "0011 0005 783a313a32 0000 09", new GlobalReportRequest("x:1:2", null, GlobalStatus.Committed)),
                arguments(
                        "000b 0005 783a313a32 01 0001 72 00000003 743a31 00000002 7b7d",
                        new BranchRegisterRequest("x:1:2", BranchType.TCC, "r", "t:1", "{}")),
                arguments("000c 01 00 0000000000000102", BranchRegisterResponse.success(258)),
                arguments(
                        "000c 00 0001 6d 02 0000000000000000",
                        BranchRegisterResponse.failed(TransactionExceptionCode.LockKeyConflict, "m")),
                arguments(
                        "000d 0005 783a313a32 0000000000000102 02 0001 72 00000000 00",
                        new BranchReportRequest("x:1:2", 258, BranchStatus.PhaseOne_Done, "r", null, BranchType.AT)),
                arguments(
                        "0015 0000 00 0001 72 00000003 743a31 00000000",
                        new GlobalLockQueryRequest(null, BranchType.AT, "r", "t:1", null)),
                arguments("0016 01 00 0001", GlobalLockQueryResponse.success(true)),
                arguments(
                        "0003 0005 783a313a32 0000000000000102 00 0001 72 00000000",
                        new BranchCommitRequest("x:1:2", 258, BranchType.AT, "r", null)),
                arguments(
                        "0004 01 00 0005 783a313a32 0000000000000102 05",
                        new BranchCommitResponse(
                                ResultCode.Success,
                                TransactionExceptionCode.Unknown,
                                null,
                                "x:1:2",
                                258,
                                BranchStatus.PhaseTwo_Committed)),
                arguments("006f 00 0001 72 0007", new UndoLogDeleteRequest(BranchType.AT, "r", (short) 7)),
                arguments(
                        "003b 00000020 0002  0007 0005 783a313a32 0000  0007 0005 783a313a32 0000  "
                                + "00000005 00000006",
                        new MergedWarpMessage(java.util.List.of(COMMIT, COMMIT), java.util.List.of(5, 6))),
                arguments(
                        "003c 0000000c 0002 0008 01 00 09 0008 01 00 09",
                        new MergeResultMessage(java.util.List.of(COMMITTED, COMMITTED))),
                arguments(
                        "0079 0000000b 0001 0008 01 00 09 00000005",
                        new BatchResultMessage(java.util.List.of(COMMITTED), java.util.List.of(5))));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("bodies")
    void bodyVector(String hex, SeataMessage expected) {
        byte[] bytes = Hex.bytes(hex);
        assertThat(Hex.decode(bytes)).isEqualTo(expected);
        assertThat(Hex.hex(Hex.encode(expected))).isEqualTo(Hex.hex(bytes));
    }

    @Test
    void globalCommitRequestFrame() {
        byte[] bytes = Hex.bytes("dada 01 0000001b 0010 00 01 00 00000007 | 0007 0005 783a313a32 0000");
        Frame expected = Frame.request(7, COMMIT);
        assertThat(Hex.decodeFrame(bytes)).isEqualTo(expected);
        assertThat(Hex.hex(Hex.encodeFrame(expected))).isEqualTo(Hex.hex(bytes));
    }

    @Test
    void pingFrame() {
        byte[] bytes = Hex.bytes("dada 01 00000010 0010 03 01 00 00000008");
        Frame ping = Hex.decodeFrame(bytes);
        assertThat(ping).isEqualTo(Frame.ping(8));
        assertThat(ping.body()).isEqualTo(HeartbeatMessage.PING);
        assertThat(Hex.hex(Hex.encodeFrame(Frame.ping(8)))).isEqualTo(Hex.hex(bytes));
        assertThat(Hex.hex(Hex.encodeFrame(Frame.pongFor(ping)))).isEqualTo("dada01000000100010040100" + "00000008");
    }

    @Test
    void responseWithHeadMapFrame() {
        byte[] bytes = Hex.bytes("dada 01 0000001b 0016 01 01 00 00000009 | 0001 6b 0001 76 | 0008 01 00 09");
        Frame expected = new Frame(
                MessageKind.RESPONSE, FrameCodec.CODEC_SEATA, Compressor.NONE.code(), 9, Map.of("k", "v"), COMMITTED);
        assertThat(Hex.decodeFrame(bytes)).isEqualTo(expected);
        assertThat(Hex.hex(Hex.encodeFrame(expected))).isEqualTo(Hex.hex(bytes));
    }
}
