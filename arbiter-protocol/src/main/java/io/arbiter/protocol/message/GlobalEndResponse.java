package io.arbiter.protocol.message;

import io.arbiter.protocol.GlobalStatus;

/** Global commit / rollback / status / report response: TransactionResponse prefix + {@code u8 globalStatus}. */
public sealed interface GlobalEndResponse extends TransactionResponse
        permits GlobalCommitResponse, GlobalRollbackResponse, GlobalStatusResponse, GlobalReportResponse {

    /** Never null, even on failure. */
    GlobalStatus globalStatus();
}
