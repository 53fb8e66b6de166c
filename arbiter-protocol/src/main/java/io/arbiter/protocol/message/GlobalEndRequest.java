package io.arbiter.protocol.message;

/** Global commit / rollback / status / report request: {@code str16 xid, str16 extraData} (+ status for report). */
public sealed interface GlobalEndRequest extends TransactionRequest
        permits GlobalCommitRequest, GlobalRollbackRequest, GlobalStatusRequest, GlobalReportRequest {

    String xid();

    String extraData();
}
