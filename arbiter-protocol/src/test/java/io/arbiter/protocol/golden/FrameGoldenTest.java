package io.arbiter.protocol.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.compress.Compressor;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.frame.MessageKind;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.arbiter.protocol.message.SeataMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.seata.core.protocol.RpcMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole frames against Seata 2.5.0's ProtocolEncoderV1 / ProtocolDecoderV1: plain, with head maps, gzip-compressed,
 * heartbeats and batch containers.
 */
class FrameGoldenTest {

    static List<Frame> frames() {
        List<Frame> frames = new ArrayList<>();
        byte none = Compressor.NONE.code();
        byte gzip = Compressor.GZIP.code();
        int id = 1;
        for (SeataMessage m : Samples.batches()) {
            frames.add(new Frame(MessageKind.REQUEST_ONEWAY, FrameCodec.CODEC_SEATA, none, id++, null, m));
            frames.add(new Frame(MessageKind.RESPONSE, FrameCodec.CODEC_SEATA, gzip, id++, null, m));
        }
        for (SeataMessage m : Samples.registration()) {
            frames.add(new Frame(MessageKind.REQUEST_SYNC, FrameCodec.CODEC_SEATA, none, id++, null, m));
        }
        SeataMessage begin = new GlobalBeginRequest(60000, Samples.UNICODE);
        frames.add(new Frame(MessageKind.REQUEST_SYNC, FrameCodec.CODEC_SEATA, gzip, Integer.MAX_VALUE, null, begin));
        frames.add(new Frame(MessageKind.REQUEST_SYNC, FrameCodec.CODEC_SEATA, none, -5, null, begin));
        Map<String, String> head = new HashMap<>();
        head.put("k", "v");
        head.put("empty", "");
        head.put("nul", null);
        head.put("ключ", "значение");
        Map<String, String> ordered = new LinkedHashMap<>(head);
        SeataMessage resp = GlobalCommitResponse.success(GlobalStatus.Committed);
        frames.add(new Frame(MessageKind.RESPONSE, FrameCodec.CODEC_SEATA, none, 9, ordered, resp));
        frames.add(new Frame(MessageKind.RESPONSE, FrameCodec.CODEC_SEATA, gzip, 10, ordered, resp));
        frames.add(Frame.ping(8));
        frames.add(new Frame(MessageKind.HEARTBEAT_RESPONSE, FrameCodec.CODEC_SEATA, gzip, 8, null, null));
        frames.add(new Frame(MessageKind.HEARTBEAT_REQUEST, FrameCodec.CODEC_SEATA, none, 3, Map.of("a", "b"), null));
        return frames;
    }

    private static RpcMessage toRpc(Frame f) {
        RpcMessage rpc = new RpcMessage();
        rpc.setMessageType(f.messageType());
        rpc.setCodec(f.codec());
        rpc.setCompressor(f.compressor());
        rpc.setId(f.requestId());
        rpc.setHeadMap(new LinkedHashMap<>(f.headMap())); // Seata writes in the map's iteration order
        if (f.body() == HeartbeatMessage.PING) {
            rpc.setBody(org.apache.seata.core.protocol.HeartbeatMessage.PING);
        } else if (f.body() == HeartbeatMessage.PONG) {
            rpc.setBody(org.apache.seata.core.protocol.HeartbeatMessage.PONG);
        } else {
            rpc.setBody(SeataMapping.toSeata(f.body()));
        }
        return rpc;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("frames")
    void ourEncoderReproducesSeataFrame(Frame f) {
        byte[] seata = Seata25.encodeFrame(toRpc(f));
        assertThat(Hex.hex(Hex.encodeFrame(f))).isEqualTo(Hex.hex(seata));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("frames")
    void ourDecoderReadsSeataFrame(Frame f) {
        byte[] seata = Seata25.encodeFrame(toRpc(f));
        assertThat(Hex.decodeFrame(seata)).isEqualTo(f);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("frames")
    void seataDecodesOurFrame(Frame f) {
        RpcMessage rpc = Seata25.decodeFrame(Hex.encodeFrame(f));
        assertThat(rpc.getMessageType()).isEqualTo(f.messageType());
        assertThat(rpc.getCodec()).isEqualTo(f.codec());
        assertThat(rpc.getCompressor()).isEqualTo(f.compressor());
        assertThat(rpc.getId()).isEqualTo(f.requestId());
        assertThat(rpc.getHeadMap()).isEqualTo(f.headMap());
        if (f.isHeartbeat()) {
            assertThat(rpc.getBody())
                    .isSameAs(
                            f.body() == HeartbeatMessage.PING
                                    ? org.apache.seata.core.protocol.HeartbeatMessage.PING
                                    : org.apache.seata.core.protocol.HeartbeatMessage.PONG);
        } else {
            assertThat(SeataMapping.fromSeata(rpc.getBody())).isEqualTo(f.body());
        }
    }

    @Test
    void gzipBodyReallyIsCompressed() {
        Frame f = frames().stream()
                .filter(x -> x.compressor() == Compressor.GZIP.code() && !x.isHeartbeat())
                .findFirst()
                .orElseThrow();
        byte[] bytes = Hex.encodeFrame(f);
        assertThat(bytes[16] & 0xFF).isEqualTo(0x1f);
        assertThat(bytes[17] & 0xFF).isEqualTo(0x8b);
    }

    @Test
    void responseHelpersMirrorTheRequest() {
        Frame request = new Frame(
                MessageKind.REQUEST_ONEWAY,
                FrameCodec.CODEC_SEATA,
                Compressor.GZIP.code(),
                42,
                Map.of("x", "y"),
                Samples.batches().get(0));
        Frame response = Frame.responseTo(request, Samples.batches().get(3));
        assertThat(response.messageType()).isEqualTo(MessageKind.RESPONSE);
        assertThat(response.requestId()).isEqualTo(42);
        assertThat(response.compressor()).isEqualTo(Compressor.GZIP.code());
        assertThat(response.headMap()).isEmpty();
        Frame pong = Frame.pongFor(Frame.ping(8));
        assertThat(pong.messageType()).isEqualTo(MessageKind.HEARTBEAT_RESPONSE);
        assertThat(pong.body()).isEqualTo(HeartbeatMessage.PONG);
        assertThat(pong.requestId()).isEqualTo(8);
    }
}
