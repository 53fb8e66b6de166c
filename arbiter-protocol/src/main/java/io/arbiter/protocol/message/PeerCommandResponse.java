package io.arbiter.protocol.message;

import java.util.Objects;

/**
 * The answer to a {@link PeerCommandRequest} (type {@value MessageTypeCode#PEER_COMMAND_RESULT}): the command's
 * encoded result when {@code outcome} is {@link Outcome#APPLIED}, otherwise empty. Layout:
 * {@code u8 outcome, i32 length, bytes}.
 */
public record PeerCommandResponse(Outcome outcome, byte[] result) implements SeataMessage {

    /** What became of the command. */
    public enum Outcome {
        /** Committed and applied; {@code result} holds its answer. */
        APPLIED,
        /** The node does not lead the fragment (or lost leadership before the command committed): try elsewhere. */
        NOT_LEADER,
        /** The node cannot run the command (unknown fragment, bad command); retrying will not help. */
        REFUSED
    }

    public PeerCommandResponse {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(result, "result");
    }

    public static PeerCommandResponse applied(byte[] result) {
        return new PeerCommandResponse(Outcome.APPLIED, result);
    }

    public static PeerCommandResponse notLeader() {
        return new PeerCommandResponse(Outcome.NOT_LEADER, new byte[0]);
    }

    public static PeerCommandResponse refused() {
        return new PeerCommandResponse(Outcome.REFUSED, new byte[0]);
    }

    @Override
    public int typeCode() {
        return MessageTypeCode.PEER_COMMAND_RESULT;
    }
}
