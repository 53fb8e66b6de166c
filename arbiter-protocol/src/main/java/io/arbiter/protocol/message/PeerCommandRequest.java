package io.arbiter.protocol.message;

import java.util.Objects;

/**
 * Arbiter node to Arbiter node, never sent by or to a Seata client (type {@value MessageTypeCode#PEER_COMMAND}):
 * "propose this coordinator command in fragment {@code fragmentId}, if you lead it". The command is opaque here
 * (the core's own encoding). Layout: {@code i32 fragmentId, i32 length, bytes}.
 */
public record PeerCommandRequest(int fragmentId, byte[] command) implements SeataMessage {

    public PeerCommandRequest {
        Objects.requireNonNull(command, "command");
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.PEER_COMMAND;
    }
}
