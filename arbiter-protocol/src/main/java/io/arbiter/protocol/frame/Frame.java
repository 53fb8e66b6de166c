package io.arbiter.protocol.frame;

import io.arbiter.protocol.compress.Compressor;
import io.arbiter.protocol.message.HeartbeatMessage;
import io.arbiter.protocol.message.SeataMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One protocol-v1 frame: the 16-byte header fields, the optional head map and the decoded body. See
 * {@link FrameCodec} for the byte layout.
 *
 * <p>Heartbeat frames ({@link MessageKind#HEARTBEAT_REQUEST}/{@link MessageKind#HEARTBEAT_RESPONSE}) carry no body
 * bytes; their {@code body} is always {@link HeartbeatMessage#PING}/{@link HeartbeatMessage#PONG} (a null body is
 * normalised to it). For other frames the body may be null only when the frame had no body bytes (Seata drops such
 * frames). The head map keeps insertion order; keys and values may be null. Immutable and thread-safe.
 *
 * @param messageType a {@link MessageKind} value
 * @param codec       serializer byte; only {@link FrameCodec#CODEC_SEATA} is supported
 * @param compressor  a {@link Compressor} code
 * @param requestId   request id; a response echoes its request's id
 * @param headMap     never null after construction (empty when absent)
 * @param body        the message, see above
 */
public record Frame(
        byte messageType, byte codec, byte compressor, int requestId, Map<String, String> headMap, SeataMessage body) {

    public Frame {
        headMap = headMap == null || headMap.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(headMap));
        if (messageType == MessageKind.HEARTBEAT_REQUEST || messageType == MessageKind.HEARTBEAT_RESPONSE) {
            HeartbeatMessage expected =
                    messageType == MessageKind.HEARTBEAT_REQUEST ? HeartbeatMessage.PING : HeartbeatMessage.PONG;
            if (body != null && body != expected) {
                throw new IllegalArgumentException("messageType " + messageType + " requires body " + expected);
            }
            body = expected;
        } else if (body instanceof HeartbeatMessage) {
            throw new IllegalArgumentException(
                    "a heartbeat body needs messageType 3 (PING) or 4 (PONG), not " + messageType);
        }
    }

    /** A SYNC request frame with the SEATA codec, no compression and no head map. */
    public static Frame request(int requestId, SeataMessage body) {
        return new Frame(
                MessageKind.REQUEST_SYNC, FrameCodec.CODEC_SEATA, Compressor.NONE.code(), requestId, null, body);
    }

    /** A ONEWAY request frame with the SEATA codec, no compression and no head map. */
    public static Frame oneway(int requestId, SeataMessage body) {
        return new Frame(
                MessageKind.REQUEST_ONEWAY, FrameCodec.CODEC_SEATA, Compressor.NONE.code(), requestId, null, body);
    }

    /** The response to {@code request}: messageType RESPONSE, same id, codec and compressor, no head map. */
    public static Frame responseTo(Frame request, SeataMessage body) {
        return new Frame(MessageKind.RESPONSE, request.codec, request.compressor, request.requestId, null, body);
    }

    /** A PING with the SEATA codec and no compression. */
    public static Frame ping(int requestId) {
        return new Frame(
                MessageKind.HEARTBEAT_REQUEST,
                FrameCodec.CODEC_SEATA,
                Compressor.NONE.code(),
                requestId,
                null,
                HeartbeatMessage.PING);
    }

    /** The PONG answering {@code ping}: same id, codec and compressor. */
    public static Frame pongFor(Frame ping) {
        return new Frame(
                MessageKind.HEARTBEAT_RESPONSE,
                ping.codec,
                ping.compressor,
                ping.requestId,
                null,
                HeartbeatMessage.PONG);
    }

    /** True for PING and PONG frames. */
    public boolean isHeartbeat() {
        return MessageKind.isHeartbeat(messageType);
    }
}
