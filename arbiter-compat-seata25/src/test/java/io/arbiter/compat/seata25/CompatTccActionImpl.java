package io.arbiter.compat.seata25;

import io.arbiter.compat.client.TccLedger;
import io.arbiter.compat.client.TccParticipant;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.BusinessActionContextUtil;

/**
 * Records every call in {@link TccLedger}; commits fail while the ledger says so. Public and non-final: Seata's
 * {@code ProxyUtil} subclasses it, and its interceptor reads the parameter annotations of these (the invoked)
 * methods, so they repeat the interface's {@code @BusinessActionContextParameter}.
 */
public class CompatTccActionImpl implements CompatTccAction {
    private final TccLedger ledger = TccLedger.get();

    @Override
    public boolean tryA(BusinessActionContext context, @BusinessActionContextParameter(paramName = "tag") String tag) {
        ledger.tried(TccParticipant.ACTION_A, tag, context.getXid(), context.getBranchId());
        String note = TccParticipant.noteFor(tag);
        if (note != null) {
            BusinessActionContextUtil.addContext("note", note);
        }
        return true;
    }

    @Override
    public boolean commitA(BusinessActionContext context) {
        return ledger.commit(
                TccParticipant.ACTION_A,
                value(context, "tag"),
                context.getXid(),
                context.getBranchId(),
                value(context, "note"));
    }

    @Override
    public boolean rollbackA(BusinessActionContext context) {
        return ledger.rollback(
                TccParticipant.ACTION_A,
                value(context, "tag"),
                context.getXid(),
                context.getBranchId(),
                value(context, "note"));
    }

    @Override
    public boolean tryB(BusinessActionContext context, @BusinessActionContextParameter(paramName = "tag") String tag) {
        ledger.tried(TccParticipant.ACTION_B, tag, context.getXid(), context.getBranchId());
        String note = TccParticipant.noteFor(tag);
        if (note != null) {
            BusinessActionContextUtil.addContext("note", note);
        }
        return true;
    }

    @Override
    public boolean commitB(BusinessActionContext context) {
        return ledger.commit(
                TccParticipant.ACTION_B,
                value(context, "tag"),
                context.getXid(),
                context.getBranchId(),
                value(context, "note"));
    }

    @Override
    public boolean rollbackB(BusinessActionContext context) {
        return ledger.rollback(
                TccParticipant.ACTION_B,
                value(context, "tag"),
                context.getXid(),
                context.getBranchId(),
                value(context, "note"));
    }

    private static String value(BusinessActionContext context, String key) {
        Object value = context.getActionContext(key);
        return value == null ? null : value.toString();
    }
}
