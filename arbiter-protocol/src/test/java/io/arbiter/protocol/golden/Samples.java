package io.arbiter.protocol.golden;

import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BatchResultMessage;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.BranchReportRequest;
import io.arbiter.protocol.message.BranchReportResponse;
import io.arbiter.protocol.message.BranchRollbackRequest;
import io.arbiter.protocol.message.BranchRollbackResponse;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalReportRequest;
import io.arbiter.protocol.message.GlobalReportResponse;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.protocol.message.MergeResultMessage;
import io.arbiter.protocol.message.MergedWarpMessage;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterRMResponse;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.RegisterTMResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.protocol.message.UndoLogDeleteRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Sample messages covering every message type, every enum value, null and non-null strings and non-ASCII text.
 * All are in "wire-normal" form (no "" strings, no msg on Success) so they survive a round trip unchanged.
 */
public final class Samples {

    public static final String XID = "192.168.1.10:8091:2612345678901234567";
    public static final String UNICODE = "zahlung-ünïcødé-事务-😀";

    private Samples() {}

    public static List<SeataMessage> all() {
        List<SeataMessage> all = new ArrayList<>();
        all.addAll(requests());
        all.addAll(responses());
        all.addAll(registration());
        all.addAll(batches());
        return all;
    }

    public static List<TransactionRequest> requests() {
        List<TransactionRequest> l = new ArrayList<>();
        l.add(new GlobalBeginRequest(60000, "tx"));
        l.add(new GlobalBeginRequest(0, null));
        l.add(new GlobalBeginRequest(-1, UNICODE));
        l.add(new GlobalCommitRequest(XID, null));
        l.add(new GlobalCommitRequest(XID, "extra"));
        l.add(new GlobalRollbackRequest(XID, null));
        l.add(new GlobalStatusRequest(XID, null));
        l.add(new GlobalStatusRequest(null, null));
        l.add(new GlobalReportRequest(XID, null, null));
        for (GlobalStatus s : GlobalStatus.values()) {
            l.add(new GlobalReportRequest(XID, "e", s));
        }
        for (BranchType t : BranchType.values()) {
            l.add(new BranchRegisterRequest(XID, t, "jdbc:mysql://h/db", "t:1,2;u:3_4", "{\"autoCommit\":false}"));
        }
        l.add(new BranchRegisterRequest(null, BranchType.AT, null, null, null));
        l.add(new GlobalLockQueryRequest(null, BranchType.AT, "r", "t:1", null));
        l.add(new GlobalLockQueryRequest(XID, BranchType.AT, "r", UNICODE, "{}"));
        for (BranchStatus s : BranchStatus.values()) {
            l.add(new BranchReportRequest(XID, 258L, s, "r", null, BranchType.AT));
        }
        l.add(new BranchReportRequest(XID, Long.MAX_VALUE, BranchStatus.PhaseOne_RDONLY, "r", "{}", BranchType.XA));
        l.add(new BranchCommitRequest(XID, 258L, BranchType.AT, "r", null));
        l.add(new BranchCommitRequest(XID, -1L, BranchType.SAGA, "app#grp", "Committed"));
        l.add(new BranchRollbackRequest(XID, 42L, BranchType.TCC, "tcc-action", "{\"actionContext\":{}}"));
        l.add(new UndoLogDeleteRequest(BranchType.AT, "r", (short) 7));
        l.add(new UndoLogDeleteRequest(BranchType.AT, UNICODE, (short) -3));
        return l;
    }

    public static List<ResultMessage> responses() {
        List<ResultMessage> l = new ArrayList<>();
        l.add(GlobalBeginResponse.success("1.2.3.4:8091:99"));
        l.add(GlobalBeginResponse.failed(TransactionExceptionCode.BeginFailed, "err"));
        l.add(GlobalBeginResponse.failed(TransactionExceptionCode.IO, null));
        l.add(new GlobalBeginResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, XID, "x=1"));
        for (GlobalStatus s : GlobalStatus.values()) {
            l.add(GlobalCommitResponse.success(s));
        }
        for (TransactionExceptionCode c : TransactionExceptionCode.values()) {
            l.add(GlobalCommitResponse.failed(c, "failed: " + c, GlobalStatus.CommitRetrying));
        }
        l.add(GlobalRollbackResponse.success(GlobalStatus.Rollbacked));
        l.add(GlobalRollbackResponse.failed(TransactionExceptionCode.FailedStore, UNICODE, GlobalStatus.Finished));
        l.add(GlobalStatusResponse.success(GlobalStatus.Begin));
        l.add(GlobalStatusResponse.failed(
                TransactionExceptionCode.GlobalTransactionNotExist, null, GlobalStatus.UnKnown));
        l.add(GlobalReportResponse.success(GlobalStatus.Committed));
        l.add(BranchRegisterResponse.success(258L));
        l.add(BranchRegisterResponse.failed(TransactionExceptionCode.LockKeyConflict, "m"));
        l.add(BranchRegisterResponse.failed(TransactionExceptionCode.LockKeyConflictFailFast, "fail fast"));
        l.add(BranchReportResponse.success());
        l.add(BranchReportResponse.failed(TransactionExceptionCode.BranchTransactionNotExist, "gone"));
        l.add(GlobalLockQueryResponse.success(true));
        l.add(GlobalLockQueryResponse.success(false));
        l.add(GlobalLockQueryResponse.failed(TransactionExceptionCode.LockableCheckFailed, "x"));
        for (BranchStatus s : BranchStatus.values()) {
            l.add(new BranchCommitResponse(ResultCode.Success, TransactionExceptionCode.Unknown, null, XID, 258L, s));
        }
        l.add(new BranchCommitResponse(
                ResultCode.Failed,
                TransactionExceptionCode.Broken,
                "boom",
                XID,
                1L,
                BranchStatus.PhaseTwo_CommitFailed_Retryable));
        l.add(new BranchRollbackResponse(
                ResultCode.Success,
                TransactionExceptionCode.Unknown,
                null,
                XID,
                258L,
                BranchStatus.PhaseTwo_Rollbacked));
        l.add(new BranchRollbackResponse(
                ResultCode.Failed,
                TransactionExceptionCode.BranchRollbackFailed_Retriable,
                null,
                null,
                0L,
                BranchStatus.PhaseTwo_RollbackFailed_Retryable));
        l.add(new RegisterTMResponse(true, "2.2.0"));
        l.add(new RegisterTMResponse(false, "0.0.1"));
        l.add(new RegisterRMResponse(true, "2.5.0"));
        return l;
    }

    public static List<SeataMessage> registration() {
        return List.of(
                new RegisterTMRequest("2.2.0", "app", "grp", "ak=x\nvgroup=grp\nip=10.0.0.1\n"),
                new RegisterTMRequest("1.8.0", "order-service", "default_tx_group", null),
                new RegisterRMRequest("2.2.0", "app", "grp", null, "jdbc:mysql://h/db"),
                new RegisterRMRequest("2.0.0", "app", "grp", null, "jdbc:mysql://h/a,jdbc:mysql://h/b"),
                new RegisterRMRequest("1.8.0", "app", "grp", "x", null));
    }

    public static List<SeataMessage> batches() {
        List<TransactionRequest> reqs = List.of(
                new BranchRegisterRequest(XID, BranchType.AT, "r", "t:1", "{}"),
                new BranchReportRequest(XID, 5L, BranchStatus.PhaseOne_Done, "r", null, BranchType.AT),
                new GlobalLockQueryRequest(null, BranchType.AT, "r", "t:9", null),
                new GlobalStatusRequest(XID, null),
                new GlobalCommitRequest(XID, null));
        List<ResultMessage> results = List.of(
                BranchRegisterResponse.success(9L),
                BranchReportResponse.success(),
                GlobalLockQueryResponse.success(true),
                GlobalStatusResponse.success(GlobalStatus.Begin),
                GlobalCommitResponse.failed(
                        TransactionExceptionCode.LockKeyConflictFailFast, "x", GlobalStatus.CommitFailed));
        return List.of(
                new MergedWarpMessage(reqs, List.of(11, 12, 13, 14, 15)),
                new MergedWarpMessage(List.of(new GlobalCommitRequest("x:1:2", null)), List.of(Integer.MAX_VALUE)),
                new MergedWarpMessage(List.of(), List.of()),
                new MergedWarpMessage(List.of(new GlobalCommitRequest("x:1:2", null)), List.of()),
                new MergeResultMessage(results),
                new MergeResultMessage(List.of(new RegisterRMResponse(true, "2.2.0"))),
                new BatchResultMessage(results, List.of(11, 12, 13, 14, 15)),
                new BatchResultMessage(List.of(GlobalCommitResponse.success(GlobalStatus.Committed)), List.of(5)));
    }
}
