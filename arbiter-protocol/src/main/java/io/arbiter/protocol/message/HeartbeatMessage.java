package io.arbiter.protocol.message;

/**
 * Heartbeat (type 120). Never serialized: a PING is a frame with messageType 3 and no body, a PONG a frame with
 * messageType 4 and no body. The frame decoder puts {@link #PING} or {@link #PONG} in the frame body.
 */
public enum HeartbeatMessage implements SeataMessage {
    PING,
    PONG;

    public boolean isPing() {
        return this == PING;
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.HEARTBEAT_MSG;
    }
}
