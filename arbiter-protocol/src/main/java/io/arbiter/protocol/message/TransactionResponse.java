package io.arbiter.protocol.message;

import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;

/**
 * A transaction response. Wire prefix: {@code u8 resultCode}, then (only when Failed) {@code str16 msg}, then
 * {@code u8 exceptionCode ordinal} (version mapped, written for Success too).
 */
public sealed interface TransactionResponse extends ResultMessage
        permits GlobalBeginResponse,
                GlobalEndResponse,
                BranchRegisterResponse,
                BranchReportResponse,
                GlobalLockQueryResponse,
                BranchEndResponse {

    /** Never null. */
    ResultCode resultCode();

    /** Logical exception code; never null (defaults to Unknown). */
    TransactionExceptionCode exceptionCode();

    /** Error message; only transmitted when {@link #resultCode()} is Failed. May be null. */
    String msg();
}
