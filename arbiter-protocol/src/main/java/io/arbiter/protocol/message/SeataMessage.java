package io.arbiter.protocol.message;

/**
 * A message body of the Seata protocol (what the SEATA codec serializes after the frame header).
 *
 * <p>Hierarchy: {@link TransactionRequest} (the requests that can be batched inside a {@link MergedWarpMessage}),
 * {@link ResultMessage} (the responses that can be batched inside a {@link MergeResultMessage} or
 * {@link BatchResultMessage}), the registration requests, the three batch containers and {@link HeartbeatMessage}.
 */
public sealed interface SeataMessage
        permits TransactionRequest,
                ResultMessage,
                RegisterTMRequest,
                RegisterRMRequest,
                MergedWarpMessage,
                MergeResultMessage,
                BatchResultMessage,
                HeartbeatMessage,
                PeerCommandRequest,
                PeerCommandResponse,
                PeerOperationRequest,
                PeerOperationResponse {

    /** The {@link MessageTypeCode} that identifies this message on the wire. */
    int typeCode();
}
