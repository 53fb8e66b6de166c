package io.arbiter.protocol.codec;

import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ProtocolException;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.BranchEndResponse;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.BranchReportResponse;
import io.arbiter.protocol.message.BranchRollbackResponse;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalEndResponse;
import io.arbiter.protocol.message.GlobalLockQueryResponse;
import io.arbiter.protocol.message.GlobalReportResponse;
import io.arbiter.protocol.message.GlobalRollbackResponse;
import io.arbiter.protocol.message.GlobalStatusResponse;
import io.arbiter.protocol.message.MessageTypeCode;
import io.arbiter.protocol.message.RegisterRMResponse;
import io.arbiter.protocol.message.RegisterTMResponse;
import io.arbiter.protocol.message.ResultMessage;
import io.arbiter.protocol.message.TransactionResponse;
import io.netty.buffer.ByteBuf;

/** Payload layouts of the responses (§5.3, §5.4, §5.6, §5.7). Stateless and thread-safe. */
final class ResponseCodec {

    private ResponseCodec() {}

    static boolean handles(int typeCode) {
        return switch (typeCode) {
            case MessageTypeCode.GLOBAL_BEGIN_RESULT,
                    MessageTypeCode.BRANCH_COMMIT_RESULT,
                    MessageTypeCode.BRANCH_ROLLBACK_RESULT,
                    MessageTypeCode.GLOBAL_COMMIT_RESULT,
                    MessageTypeCode.GLOBAL_ROLLBACK_RESULT,
                    MessageTypeCode.BRANCH_REGISTER_RESULT,
                    MessageTypeCode.BRANCH_STATUS_REPORT_RESULT,
                    MessageTypeCode.GLOBAL_STATUS_RESULT,
                    MessageTypeCode.GLOBAL_REPORT_RESULT,
                    MessageTypeCode.GLOBAL_LOCK_QUERY_RESULT,
                    MessageTypeCode.REG_CLT_RESULT,
                    MessageTypeCode.REG_RM_RESULT -> true;
            default -> false;
        };
    }

    // ------------------------------------------------------------------------------------------------ encode

    static void encode(ResultMessage m, ByteBuf out, ClientVersion v) {
        if (m instanceof RegisterTMResponse r) {
            writeIdentify(out, r.identified(), r.version());
            return;
        }
        if (m instanceof RegisterRMResponse r) {
            writeIdentify(out, r.identified(), r.version());
            return;
        }
        TransactionResponse t = (TransactionResponse) m;
        writePrefix(out, t, v);
        if (t instanceof GlobalBeginResponse r) {
            WireWriter.str16(out, r.xid(), "xid");
            WireWriter.str16(out, r.extraData(), "extraData");
        } else if (t instanceof GlobalEndResponse r) {
            GlobalStatus s = r.globalStatus();
            WireWriter.requireKnown(s.knownBy(v), s, v);
            out.writeByte(s.code());
        } else if (t instanceof BranchRegisterResponse r) {
            out.writeLong(r.branchId());
        } else if (t instanceof GlobalLockQueryResponse r) {
            out.writeShort(r.lockable() ? 1 : 0);
        } else if (t instanceof BranchEndResponse r) {
            WireWriter.str16(out, r.xid(), "xid");
            out.writeLong(r.branchId());
            WireWriter.requireKnown(r.branchStatus().knownBy(v), r.branchStatus(), v);
            out.writeByte(r.branchStatus().code());
        } else if (!(t instanceof BranchReportResponse)) {
            throw new IllegalStateException("unhandled response " + t);
        }
    }

    /** {@code u8 resultCode, [str16 msg only when Failed], u8 exception ordinal for version v}. */
    private static void writePrefix(ByteBuf out, TransactionResponse t, ClientVersion v) {
        out.writeByte(t.resultCode().code());
        if (t.resultCode() == ResultCode.Failed) {
            WireWriter.msg(out, t.msg());
        }
        out.writeByte(t.exceptionCode().ordinalFor(v));
    }

    private static void writeIdentify(ByteBuf out, boolean identified, String version) {
        out.writeByte(identified ? 1 : 0);
        WireWriter.str16(out, version, "version");
    }

    // ------------------------------------------------------------------------------------------------ decode

    static ResultMessage decode(int typeCode, ByteBuf in, ClientVersion v) {
        switch (typeCode) {
            case MessageTypeCode.REG_CLT_RESULT: {
                WireReader r = new WireReader(in, "RegisterTMResponse");
                return new RegisterTMResponse(r.u8("identified") == 1, r.str16("version"));
            }
            case MessageTypeCode.REG_RM_RESULT: {
                WireReader r = new WireReader(in, "RegisterRMResponse");
                return new RegisterRMResponse(r.u8("identified") == 1, r.str16("version"));
            }
            default:
                return decodeTransactionResponse(typeCode, in, v);
        }
    }

    private static TransactionResponse decodeTransactionResponse(int typeCode, ByteBuf in, ClientVersion v) {
        WireReader r = new WireReader(in, "response type " + typeCode);
        ResultCode rc = ResultCode.fromCode(r.u8("resultCode"));
        String msg = rc == ResultCode.Failed ? r.str16("msg") : null;
        TransactionExceptionCode ec = TransactionExceptionCode.fromOrdinal(r.u8("exceptionCode"), v);
        switch (typeCode) {
            case MessageTypeCode.GLOBAL_BEGIN_RESULT: {
                String xid = r.str16("xid");
                return new GlobalBeginResponse(rc, ec, msg, xid, r.str16("extraData"));
            }
            case MessageTypeCode.GLOBAL_COMMIT_RESULT:
                return new GlobalCommitResponse(rc, ec, msg, GlobalStatus.fromCode(r.u8("globalStatus")));
            case MessageTypeCode.GLOBAL_ROLLBACK_RESULT:
                return new GlobalRollbackResponse(rc, ec, msg, GlobalStatus.fromCode(r.u8("globalStatus")));
            case MessageTypeCode.GLOBAL_STATUS_RESULT:
                return new GlobalStatusResponse(rc, ec, msg, GlobalStatus.fromCode(r.u8("globalStatus")));
            case MessageTypeCode.GLOBAL_REPORT_RESULT:
                return new GlobalReportResponse(rc, ec, msg, GlobalStatus.fromCode(r.u8("globalStatus")));
            case MessageTypeCode.BRANCH_REGISTER_RESULT:
                return new BranchRegisterResponse(rc, ec, msg, r.i64("branchId"));
            case MessageTypeCode.BRANCH_STATUS_REPORT_RESULT:
                return new BranchReportResponse(rc, ec, msg);
            case MessageTypeCode.GLOBAL_LOCK_QUERY_RESULT:
                return new GlobalLockQueryResponse(rc, ec, msg, r.i16("lockable") == 1);
            case MessageTypeCode.BRANCH_COMMIT_RESULT:
            case MessageTypeCode.BRANCH_ROLLBACK_RESULT: {
                String xid = r.str16("xid");
                long branchId = r.i64("branchId");
                BranchStatus status = BranchStatus.fromCode(r.u8("branchStatus"));
                return typeCode == MessageTypeCode.BRANCH_COMMIT_RESULT
                        ? new BranchCommitResponse(rc, ec, msg, xid, branchId, status)
                        : new BranchRollbackResponse(rc, ec, msg, xid, branchId, status);
            }
            default:
                throw new ProtocolException("type " + typeCode + " is not a response");
        }
    }
}
