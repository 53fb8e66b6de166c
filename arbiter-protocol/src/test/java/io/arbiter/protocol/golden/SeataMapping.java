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
import io.arbiter.protocol.message.TransactionResponse;
import io.arbiter.protocol.message.UndoLogDeleteRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.seata.core.protocol.AbstractIdentifyRequest;
import org.apache.seata.core.protocol.AbstractIdentifyResponse;
import org.apache.seata.core.protocol.AbstractMessage;
import org.apache.seata.core.protocol.AbstractResultMessage;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractTransactionResponse;

/**
 * Converts between our message records and the real Seata 2.5.0 message classes (test oracle only). Strings are
 * normalised the way the wire does: "" and null both become null.
 */
final class SeataMapping {

    private SeataMapping() {}

    // ------------------------------------------------------------------------------------------ ours -> Seata

    static AbstractMessage toSeata(SeataMessage m) {
        if (m instanceof TransactionResponse r) {
            return toSeataResponse(r);
        }
        if (m instanceof RegisterTMResponse r) {
            return identifyResponse(
                    new org.apache.seata.core.protocol.RegisterTMResponse(), r.identified(), r.version());
        }
        if (m instanceof RegisterRMResponse r) {
            return identifyResponse(
                    new org.apache.seata.core.protocol.RegisterRMResponse(), r.identified(), r.version());
        }
        if (m instanceof RegisterTMRequest r) {
            return identify(
                    new org.apache.seata.core.protocol.RegisterTMRequest(),
                    r.version(),
                    r.applicationId(),
                    r.transactionServiceGroup(),
                    r.extraData());
        }
        if (m instanceof RegisterRMRequest r) {
            var s = identify(
                    new org.apache.seata.core.protocol.RegisterRMRequest(),
                    r.version(),
                    r.applicationId(),
                    r.transactionServiceGroup(),
                    r.extraData());
            s.setResourceIds(r.resourceIds());
            return s;
        }
        if (m instanceof MergedWarpMessage r) {
            var s = new org.apache.seata.core.protocol.MergedWarpMessage();
            s.msgs = new ArrayList<>();
            r.msgs().forEach(x -> s.msgs.add(toSeata(x)));
            s.msgIds = new ArrayList<>(r.msgIds());
            return s;
        }
        if (m instanceof MergeResultMessage r) {
            var s = new org.apache.seata.core.protocol.MergeResultMessage();
            s.setMsgs(r.msgs().stream()
                    .map(x -> (AbstractResultMessage) toSeata(x))
                    .toArray(AbstractResultMessage[]::new));
            return s;
        }
        if (m instanceof BatchResultMessage r) {
            var s = new org.apache.seata.core.protocol.BatchResultMessage();
            List<AbstractResultMessage> list = new ArrayList<>();
            r.resultMessages().forEach(x -> list.add((AbstractResultMessage) toSeata(x)));
            s.setResultMessages(list);
            s.setMsgIds(new ArrayList<>(r.msgIds()));
            return s;
        }
        return toSeataRequest((TransactionRequest) m);
    }

    private static AbstractMessage toSeataRequest(TransactionRequest m) {
        if (m instanceof GlobalBeginRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalBeginRequest();
            s.setTimeout(r.timeout());
            s.setTransactionName(r.transactionName());
            return s;
        }
        if (m instanceof GlobalCommitRequest r) {
            return globalEnd(
                    new org.apache.seata.core.protocol.transaction.GlobalCommitRequest(), r.xid(), r.extraData());
        }
        if (m instanceof GlobalRollbackRequest r) {
            return globalEnd(
                    new org.apache.seata.core.protocol.transaction.GlobalRollbackRequest(), r.xid(), r.extraData());
        }
        if (m instanceof GlobalStatusRequest r) {
            return globalEnd(
                    new org.apache.seata.core.protocol.transaction.GlobalStatusRequest(), r.xid(), r.extraData());
        }
        if (m instanceof GlobalReportRequest r) {
            var s = globalEnd(
                    new org.apache.seata.core.protocol.transaction.GlobalReportRequest(), r.xid(), r.extraData());
            s.setGlobalStatus(r.globalStatus() == null ? null : toSeata(r.globalStatus()));
            return s;
        }
        if (m instanceof BranchRegisterRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.BranchRegisterRequest();
            s.setXid(r.xid());
            s.setBranchType(toSeata(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setLockKey(r.lockKey());
            s.setApplicationData(r.applicationData());
            return s;
        }
        if (m instanceof GlobalLockQueryRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalLockQueryRequest();
            s.setXid(r.xid());
            s.setBranchType(toSeata(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setLockKey(r.lockKey());
            s.setApplicationData(r.applicationData());
            return s;
        }
        if (m instanceof BranchReportRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.BranchReportRequest();
            s.setXid(r.xid());
            s.setBranchId(r.branchId());
            s.setStatus(toSeata(r.status()));
            s.setResourceId(r.resourceId());
            s.setApplicationData(r.applicationData());
            s.setBranchType(toSeata(r.branchType()));
            return s;
        }
        if (m instanceof BranchCommitRequest r) {
            return branchEnd(
                    new org.apache.seata.core.protocol.transaction.BranchCommitRequest(),
                    r.xid(),
                    r.branchId(),
                    r.branchType(),
                    r.resourceId(),
                    r.applicationData());
        }
        if (m instanceof BranchRollbackRequest r) {
            return branchEnd(
                    new org.apache.seata.core.protocol.transaction.BranchRollbackRequest(),
                    r.xid(),
                    r.branchId(),
                    r.branchType(),
                    r.resourceId(),
                    r.applicationData());
        }
        UndoLogDeleteRequest r = (UndoLogDeleteRequest) m;
        var s = new org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest();
        s.setBranchType(toSeata(r.branchType()));
        s.setResourceId(r.resourceId());
        s.setSaveDays(r.saveDays());
        return s;
    }

    private static AbstractMessage toSeataResponse(TransactionResponse m) {
        AbstractTransactionResponse s;
        if (m instanceof GlobalBeginResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.GlobalBeginResponse();
            b.setXid(r.xid());
            b.setExtraData(r.extraData());
            s = b;
        } else if (m instanceof GlobalCommitResponse r) {
            s = globalEndResp(new org.apache.seata.core.protocol.transaction.GlobalCommitResponse(), r.globalStatus());
        } else if (m instanceof GlobalRollbackResponse r) {
            s = globalEndResp(
                    new org.apache.seata.core.protocol.transaction.GlobalRollbackResponse(), r.globalStatus());
        } else if (m instanceof GlobalStatusResponse r) {
            s = globalEndResp(new org.apache.seata.core.protocol.transaction.GlobalStatusResponse(), r.globalStatus());
        } else if (m instanceof GlobalReportResponse r) {
            s = globalEndResp(new org.apache.seata.core.protocol.transaction.GlobalReportResponse(), r.globalStatus());
        } else if (m instanceof BranchRegisterResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.BranchRegisterResponse();
            b.setBranchId(r.branchId());
            s = b;
        } else if (m instanceof BranchReportResponse) {
            s = new org.apache.seata.core.protocol.transaction.BranchReportResponse();
        } else if (m instanceof GlobalLockQueryResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.GlobalLockQueryResponse();
            b.setLockable(r.lockable());
            s = b;
        } else if (m instanceof BranchCommitResponse r) {
            s = branchEndResp(
                    new org.apache.seata.core.protocol.transaction.BranchCommitResponse(),
                    r.xid(),
                    r.branchId(),
                    r.branchStatus());
        } else {
            BranchRollbackResponse r = (BranchRollbackResponse) m;
            s = branchEndResp(
                    new org.apache.seata.core.protocol.transaction.BranchRollbackResponse(),
                    r.xid(),
                    r.branchId(),
                    r.branchStatus());
        }
        s.setResultCode(
                org.apache.seata.core.protocol.ResultCode.valueOf(m.resultCode().name()));
        s.setMsg(m.msg());
        s.setTransactionExceptionCode(org.apache.seata.core.exception.TransactionExceptionCode.valueOf(
                m.exceptionCode().name()));
        return s;
    }

    private static <T extends AbstractIdentifyRequest> T identify(
            T s, String version, String app, String group, String extra) {
        s.setVersion(version);
        s.setApplicationId(app);
        s.setTransactionServiceGroup(group);
        s.setExtraData(extra);
        return s;
    }

    private static <T extends AbstractIdentifyResponse> T identifyResponse(T s, boolean identified, String version) {
        s.setIdentified(identified);
        s.setVersion(version);
        return s;
    }

    private static <T extends AbstractGlobalEndRequest> T globalEnd(T s, String xid, String extra) {
        s.setXid(xid);
        s.setExtraData(extra);
        return s;
    }

    private static <T extends AbstractBranchEndRequest> T branchEnd(
            T s, String xid, long branchId, BranchType type, String resourceId, String data) {
        s.setXid(xid);
        s.setBranchId(branchId);
        s.setBranchType(toSeata(type));
        s.setResourceId(resourceId);
        s.setApplicationData(data);
        return s;
    }

    private static <T extends AbstractGlobalEndResponse> T globalEndResp(T s, GlobalStatus status) {
        s.setGlobalStatus(toSeata(status));
        return s;
    }

    private static <T extends AbstractBranchEndResponse> T branchEndResp(
            T s, String xid, long branchId, BranchStatus status) {
        s.setXid(xid);
        s.setBranchId(branchId);
        s.setBranchStatus(org.apache.seata.core.model.BranchStatus.valueOf(status.name()));
        return s;
    }

    static org.apache.seata.core.model.GlobalStatus toSeata(GlobalStatus s) {
        return org.apache.seata.core.model.GlobalStatus.valueOf(s.name());
    }

    static org.apache.seata.core.model.BranchType toSeata(BranchType t) {
        return org.apache.seata.core.model.BranchType.valueOf(t.name());
    }

    static org.apache.seata.core.model.BranchStatus toSeata(BranchStatus s) {
        return org.apache.seata.core.model.BranchStatus.valueOf(s.name());
    }

    // ------------------------------------------------------------------------------------------ Seata -> ours

    static SeataMessage fromSeata(Object o) {
        if (o instanceof org.apache.seata.core.protocol.transaction.GlobalBeginRequest s) {
            return new GlobalBeginRequest(s.getTimeout(), n(s.getTransactionName()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.GlobalReportRequest s) {
            return new GlobalReportRequest(
                    n(s.getXid()),
                    n(s.getExtraData()),
                    s.getGlobalStatus() == null
                            ? null
                            : GlobalStatus.valueOf(s.getGlobalStatus().name()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.GlobalCommitRequest s) {
            return new GlobalCommitRequest(n(s.getXid()), n(s.getExtraData()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.GlobalRollbackRequest s) {
            return new GlobalRollbackRequest(n(s.getXid()), n(s.getExtraData()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.GlobalStatusRequest s) {
            return new GlobalStatusRequest(n(s.getXid()), n(s.getExtraData()));
        }
        // GlobalLockQueryRequest extends BranchRegisterRequest in Seata: test it first.
        if (o instanceof org.apache.seata.core.protocol.transaction.GlobalLockQueryRequest s) {
            return new GlobalLockQueryRequest(
                    n(s.getXid()),
                    BranchType.valueOf(s.getBranchType().name()),
                    n(s.getResourceId()),
                    n(s.getLockKey()),
                    n(s.getApplicationData()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.BranchRegisterRequest s) {
            return new BranchRegisterRequest(
                    n(s.getXid()),
                    BranchType.valueOf(s.getBranchType().name()),
                    n(s.getResourceId()),
                    n(s.getLockKey()),
                    n(s.getApplicationData()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.BranchReportRequest s) {
            return new BranchReportRequest(
                    n(s.getXid()),
                    s.getBranchId(),
                    BranchStatus.valueOf(s.getStatus().name()),
                    n(s.getResourceId()),
                    n(s.getApplicationData()),
                    BranchType.valueOf(s.getBranchType().name()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.BranchCommitRequest s) {
            return new BranchCommitRequest(
                    n(s.getXid()),
                    s.getBranchId(),
                    BranchType.valueOf(s.getBranchType().name()),
                    n(s.getResourceId()),
                    n(s.getApplicationData()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.BranchRollbackRequest s) {
            return new BranchRollbackRequest(
                    n(s.getXid()),
                    s.getBranchId(),
                    BranchType.valueOf(s.getBranchType().name()),
                    n(s.getResourceId()),
                    n(s.getApplicationData()));
        }
        if (o instanceof org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest s) {
            return new UndoLogDeleteRequest(
                    BranchType.valueOf(s.getBranchType().name()), n(s.getResourceId()), s.getSaveDays());
        }
        if (o instanceof org.apache.seata.core.protocol.RegisterTMRequest s) {
            return new RegisterTMRequest(
                    n(s.getVersion()), n(s.getApplicationId()), n(s.getTransactionServiceGroup()), n(s.getExtraData()));
        }
        if (o instanceof org.apache.seata.core.protocol.RegisterRMRequest s) {
            return new RegisterRMRequest(
                    n(s.getVersion()),
                    n(s.getApplicationId()),
                    n(s.getTransactionServiceGroup()),
                    n(s.getExtraData()),
                    n(s.getResourceIds()));
        }
        if (o instanceof org.apache.seata.core.protocol.RegisterTMResponse s) {
            return new RegisterTMResponse(s.isIdentified(), n(s.getVersion()));
        }
        if (o instanceof org.apache.seata.core.protocol.RegisterRMResponse s) {
            return new RegisterRMResponse(s.isIdentified(), n(s.getVersion()));
        }
        if (o instanceof org.apache.seata.core.protocol.MergedWarpMessage s) {
            List<TransactionRequest> msgs = new ArrayList<>();
            s.msgs.forEach(x -> msgs.add((TransactionRequest) fromSeata(x)));
            return new MergedWarpMessage(msgs, s.msgIds);
        }
        if (o instanceof org.apache.seata.core.protocol.MergeResultMessage s) {
            List<ResultMessage> msgs = new ArrayList<>();
            for (AbstractResultMessage x : s.getMsgs()) {
                msgs.add((ResultMessage) fromSeata(x));
            }
            return new MergeResultMessage(msgs);
        }
        if (o instanceof org.apache.seata.core.protocol.BatchResultMessage s) {
            List<ResultMessage> msgs = new ArrayList<>();
            s.getResultMessages().forEach(x -> msgs.add((ResultMessage) fromSeata(x)));
            return new BatchResultMessage(msgs, s.getMsgIds());
        }
        return fromSeataResponse((AbstractTransactionResponse) o);
    }

    private static SeataMessage fromSeataResponse(AbstractTransactionResponse s) {
        ResultCode rc = ResultCode.valueOf(s.getResultCode().name());
        TransactionExceptionCode ec =
                TransactionExceptionCode.valueOf(s.getTransactionExceptionCode().name());
        String msg = n(s.getMsg());
        if (s instanceof org.apache.seata.core.protocol.transaction.GlobalBeginResponse b) {
            return new GlobalBeginResponse(rc, ec, msg, n(b.getXid()), n(b.getExtraData()));
        }
        if (s instanceof AbstractGlobalEndResponse g) {
            GlobalStatus st = GlobalStatus.valueOf(g.getGlobalStatus().name());
            if (g instanceof org.apache.seata.core.protocol.transaction.GlobalCommitResponse) {
                return new GlobalCommitResponse(rc, ec, msg, st);
            }
            if (g instanceof org.apache.seata.core.protocol.transaction.GlobalRollbackResponse) {
                return new GlobalRollbackResponse(rc, ec, msg, st);
            }
            if (g instanceof org.apache.seata.core.protocol.transaction.GlobalStatusResponse) {
                return new GlobalStatusResponse(rc, ec, msg, st);
            }
            return new GlobalReportResponse(rc, ec, msg, st);
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.BranchRegisterResponse b) {
            return new BranchRegisterResponse(rc, ec, msg, b.getBranchId());
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.BranchReportResponse) {
            return new BranchReportResponse(rc, ec, msg);
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.GlobalLockQueryResponse b) {
            return new GlobalLockQueryResponse(rc, ec, msg, b.isLockable());
        }
        AbstractBranchEndResponse b = (AbstractBranchEndResponse) s;
        BranchStatus st = BranchStatus.valueOf(b.getBranchStatus().name());
        if (b instanceof org.apache.seata.core.protocol.transaction.BranchCommitResponse) {
            return new BranchCommitResponse(rc, ec, msg, n(b.getXid()), b.getBranchId(), st);
        }
        return new BranchRollbackResponse(rc, ec, msg, n(b.getXid()), b.getBranchId(), st);
    }

    private static String n(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
