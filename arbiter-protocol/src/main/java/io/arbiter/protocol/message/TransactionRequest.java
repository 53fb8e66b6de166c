package io.arbiter.protocol.message;

/** A transaction request (to the TC or, for branch commit/rollback and undo-log delete, to an RM). */
public sealed interface TransactionRequest extends SeataMessage
        permits GlobalBeginRequest,
                GlobalEndRequest,
                BranchRegisterRequest,
                GlobalLockQueryRequest,
                BranchReportRequest,
                BranchEndRequest,
                UndoLogDeleteRequest {}
