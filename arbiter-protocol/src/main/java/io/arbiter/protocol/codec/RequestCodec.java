package io.arbiter.protocol.codec;

import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchEndRequest;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchReportRequest;
import io.arbiter.protocol.message.BranchRollbackRequest;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalEndRequest;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.GlobalReportRequest;
import io.arbiter.protocol.message.GlobalRollbackRequest;
import io.arbiter.protocol.message.GlobalStatusRequest;
import io.arbiter.protocol.message.MessageTypeCode;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.SeataMessage;
import io.arbiter.protocol.message.TransactionRequest;
import io.arbiter.protocol.message.UndoLogDeleteRequest;
import io.netty.buffer.ByteBuf;

/** Payload layouts of the requests (§5.4, §5.5, §5.7). Stateless and thread-safe. */
final class RequestCodec {

    private RequestCodec() {}

    static boolean isTransactionRequest(int typeCode) {
        return switch (typeCode) {
            case MessageTypeCode.GLOBAL_BEGIN,
                    MessageTypeCode.BRANCH_COMMIT,
                    MessageTypeCode.BRANCH_ROLLBACK,
                    MessageTypeCode.GLOBAL_COMMIT,
                    MessageTypeCode.GLOBAL_ROLLBACK,
                    MessageTypeCode.BRANCH_REGISTER,
                    MessageTypeCode.BRANCH_STATUS_REPORT,
                    MessageTypeCode.GLOBAL_STATUS,
                    MessageTypeCode.GLOBAL_REPORT,
                    MessageTypeCode.GLOBAL_LOCK_QUERY,
                    MessageTypeCode.RM_DELETE_UNDOLOG -> true;
            default -> false;
        };
    }

    static boolean handles(int typeCode) {
        return isTransactionRequest(typeCode)
                || typeCode == MessageTypeCode.REG_CLT
                || typeCode == MessageTypeCode.REG_RM;
    }

    // ------------------------------------------------------------------------------------------------ encode

    static void encode(SeataMessage m, ByteBuf out, ClientVersion v) {
        if (m instanceof GlobalBeginRequest r) {
            out.writeInt(r.timeout());
            WireWriter.str16(out, r.transactionName(), "transactionName");
        } else if (m instanceof GlobalEndRequest r) {
            WireWriter.str16(out, r.xid(), "xid");
            WireWriter.str16(out, r.extraData(), "extraData");
            if (r instanceof GlobalReportRequest report) {
                GlobalStatus s = report.globalStatus();
                if (s == null) {
                    out.writeByte(-1);
                } else {
                    WireWriter.requireKnown(s.knownBy(v), s, v);
                    out.writeByte(s.code());
                }
            }
        } else if (m instanceof BranchRegisterRequest r) {
            writeRegisterLayout(out, v, r.xid(), r.branchType(), r.resourceId(), r.lockKey(), r.applicationData());
        } else if (m instanceof GlobalLockQueryRequest r) {
            writeRegisterLayout(out, v, r.xid(), r.branchType(), r.resourceId(), r.lockKey(), r.applicationData());
        } else if (m instanceof BranchReportRequest r) {
            WireWriter.str16(out, r.xid(), "xid");
            out.writeLong(r.branchId());
            WireWriter.requireKnown(r.status().knownBy(v), r.status(), v);
            out.writeByte(r.status().code());
            WireWriter.str16(out, r.resourceId(), "resourceId");
            WireWriter.str32(out, r.applicationData());
            WireWriter.requireKnown(r.branchType().knownBy(v), r.branchType(), v);
            out.writeByte(r.branchType().code());
        } else if (m instanceof BranchEndRequest r) {
            if (isEmpty(r.xid()) || isEmpty(r.resourceId())) {
                throw new ProtocolException("branch commit/rollback needs a non-empty xid and resourceId (the RM's "
                        + "decoder stops reading at an empty one): xid=" + r.xid() + " resourceId=" + r.resourceId());
            }
            WireWriter.str16(out, r.xid(), "xid");
            out.writeLong(r.branchId());
            WireWriter.requireKnown(r.branchType().knownBy(v), r.branchType(), v);
            out.writeByte(r.branchType().code());
            WireWriter.str16(out, r.resourceId(), "resourceId");
            WireWriter.str32(out, r.applicationData());
        } else if (m instanceof UndoLogDeleteRequest r) {
            if (isEmpty(r.resourceId())) {
                throw new ProtocolException("UndoLogDeleteRequest needs a non-empty resourceId (the RM's decoder "
                        + "stops reading at an empty one and would lose saveDays)");
            }
            WireWriter.requireKnown(r.branchType().knownBy(v), r.branchType(), v);
            out.writeByte(r.branchType().code());
            WireWriter.str16(out, r.resourceId(), "resourceId");
            out.writeShort(r.saveDays());
        } else if (m instanceof RegisterTMRequest r) {
            writeIdentify(out, r.version(), r.applicationId(), r.transactionServiceGroup(), r.extraData());
        } else if (m instanceof RegisterRMRequest r) {
            writeIdentify(out, r.version(), r.applicationId(), r.transactionServiceGroup(), r.extraData());
            WireWriter.str32(out, r.resourceIds());
        } else {
            throw new IllegalStateException("not a request: " + m);
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static void writeRegisterLayout(
            ByteBuf out,
            ClientVersion v,
            String xid,
            BranchType type,
            String resourceId,
            String lockKey,
            String applicationData) {
        WireWriter.str16(out, xid, "xid");
        WireWriter.requireKnown(type.knownBy(v), type, v);
        out.writeByte(type.code());
        WireWriter.str16(out, resourceId, "resourceId");
        WireWriter.str32(out, lockKey);
        WireWriter.str32(out, applicationData);
    }

    private static void writeIdentify(ByteBuf out, String version, String app, String group, String extra) {
        WireWriter.str16(out, version, "version");
        WireWriter.str16(out, app, "applicationId");
        WireWriter.str16(out, group, "transactionServiceGroup");
        WireWriter.str16(out, extra, "extraData");
    }

    // ------------------------------------------------------------------------------------------------ decode

    static SeataMessage decode(int typeCode, ByteBuf in) {
        return switch (typeCode) {
            case MessageTypeCode.REG_CLT -> decodeRegisterTM(in);
            case MessageTypeCode.REG_RM -> decodeRegisterRM(in);
            default -> decodeTransactionRequest(typeCode, in);
        };
    }

    static TransactionRequest decodeTransactionRequest(int typeCode, ByteBuf in) {
        switch (typeCode) {
            case MessageTypeCode.GLOBAL_BEGIN: {
                WireReader r = new WireReader(in, "GlobalBeginRequest");
                return new GlobalBeginRequest(r.i32("timeout"), r.str16("transactionName"));
            }
            case MessageTypeCode.GLOBAL_COMMIT: {
                WireReader r = new WireReader(in, "GlobalCommitRequest");
                return new GlobalCommitRequest(r.str16("xid"), r.str16("extraData"));
            }
            case MessageTypeCode.GLOBAL_ROLLBACK: {
                WireReader r = new WireReader(in, "GlobalRollbackRequest");
                return new GlobalRollbackRequest(r.str16("xid"), r.str16("extraData"));
            }
            case MessageTypeCode.GLOBAL_STATUS: {
                WireReader r = new WireReader(in, "GlobalStatusRequest");
                return new GlobalStatusRequest(r.str16("xid"), r.str16("extraData"));
            }
            case MessageTypeCode.GLOBAL_REPORT: {
                WireReader r = new WireReader(in, "GlobalReportRequest");
                String xid = r.str16("xid");
                String extra = r.str16("extraData");
                int status = r.i8("globalStatus");
                return new GlobalReportRequest(xid, extra, status < 0 ? null : GlobalStatus.fromCode(status));
            }
            case MessageTypeCode.BRANCH_REGISTER: {
                WireReader r = new WireReader(in, "BranchRegisterRequest");
                String xid = r.str16("xid");
                BranchType type = BranchType.fromCode(r.u8("branchType"));
                String resourceId = r.str16("resourceId");
                String lockKey = r.str32("lockKey");
                return new BranchRegisterRequest(xid, type, resourceId, lockKey, r.str32("applicationData"));
            }
            case MessageTypeCode.GLOBAL_LOCK_QUERY: {
                WireReader r = new WireReader(in, "GlobalLockQueryRequest");
                String xid = r.str16("xid");
                BranchType type = BranchType.fromCode(r.u8("branchType"));
                String resourceId = r.str16("resourceId");
                String lockKey = r.str32("lockKey");
                return new GlobalLockQueryRequest(xid, type, resourceId, lockKey, r.str32("applicationData"));
            }
            case MessageTypeCode.BRANCH_STATUS_REPORT: {
                WireReader r = new WireReader(in, "BranchReportRequest");
                String xid = r.str16("xid");
                long branchId = r.i64("branchId");
                BranchStatus status = BranchStatus.fromCode(r.u8("status"));
                String resourceId = r.str16("resourceId");
                String data = r.str32("applicationData");
                BranchType type = BranchType.fromCode(r.u8("branchType"));
                return new BranchReportRequest(xid, branchId, status, resourceId, data, type);
            }
            case MessageTypeCode.BRANCH_COMMIT:
            case MessageTypeCode.BRANCH_ROLLBACK: {
                boolean commit = typeCode == MessageTypeCode.BRANCH_COMMIT;
                WireReader r = new WireReader(in, commit ? "BranchCommitRequest" : "BranchRollbackRequest");
                String xid = r.str16("xid");
                long branchId = r.i64("branchId");
                BranchType type = BranchType.fromCode(r.u8("branchType"));
                String resourceId = r.str16("resourceId");
                String data = r.str32("applicationData");
                return commit
                        ? new BranchCommitRequest(xid, branchId, type, resourceId, data)
                        : new BranchRollbackRequest(xid, branchId, type, resourceId, data);
            }
            case MessageTypeCode.RM_DELETE_UNDOLOG: {
                WireReader r = new WireReader(in, "UndoLogDeleteRequest");
                BranchType type = BranchType.fromCode(r.u8("branchType"));
                String resourceId = r.str16("resourceId");
                return new UndoLogDeleteRequest(type, resourceId, (short) r.i16("saveDays"));
            }
            default:
                throw new ProtocolException("type " + typeCode + " is not a transaction request");
        }
    }

    /** Seata's TM decoder: each field is read only if its length prefix and bytes are there; else it stops. */
    private static RegisterTMRequest decodeRegisterTM(ByteBuf in) {
        String[] f = new String[4];
        for (int i = 0; i < f.length; i++) {
            if (in.readableBytes() < 2) {
                break;
            }
            int len = in.readShort();
            if (len > in.readableBytes()) {
                break;
            }
            f[i] = new WireReader(in, "RegisterTMRequest").chars(len, "field " + i);
        }
        return new RegisterTMRequest(f[0], f[1], f[2], f[3]);
    }

    /** Seata's RM decoder: as the TM one, but an empty version stops decoding altogether. */
    private static RegisterRMRequest decodeRegisterRM(ByteBuf in) {
        String[] f = new String[5];
        for (int i = 0; i < f.length; i++) {
            int prefix = i == 4 ? 4 : 2;
            if (in.readableBytes() < prefix) {
                break;
            }
            int len = prefix == 4 ? in.readInt() : in.readShort();
            if ((i == 0 && len <= 0) || len > in.readableBytes()) {
                break;
            }
            f[i] = new WireReader(in, "RegisterRMRequest").chars(len, "field " + i);
        }
        return new RegisterRMRequest(f[0], f[1], f[2], f[3], f[4]);
    }
}
